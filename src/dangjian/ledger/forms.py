from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RunKind
from .services import MAX_TEXT


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=_("总结正文"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 18}),
        error_messages={"max_length": _("总结正文不能超过%(limit_value)d字")},
    )


class GenerateForm(forms.Form):
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        error_messages={"required": _("请选择年度"), "invalid": _("年度应为数字")},
    )
    kind = forms.ChoiceField(label=_("类型"), choices=RunKind.choices, initial=RunKind.ORGANIZATION)
