"""Forms of the follow-up pages. They only parse input: the rules and their Chinese messages live in
``followups.py`` so that every caller (page, bulk action, test) gets the same checks."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .followups import TEXT_MAX, officer_name
from .forms import DATE


def _officer_choices(officers) -> list[tuple[str, str]]:
    return [("", _("请选择"))] + [(str(u.pk), officer_name(u)) for u in officers]


class AssignForm(forms.Form):
    officer = forms.ChoiceField(label=_("负责健康管理员"), required=False)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = _officer_choices(officers)


class BulkAssignForm(AssignForm):
    """The queue's bulk action; the ticked rows come as ``person`` ids, which the service narrows to its scope."""

    year = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)


def _text(label, rows=3, **kwargs):
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        **{"required": False, **kwargs},
    )


class RecordForm(forms.Form):
    contact_on = forms.DateField(
        label=_("联系日期"),
        initial=timezone.localdate,
        widget=DATE,
        error_messages={"required": _("请填写联系日期")},
    )
    advice = _text(_("随访建议"), rows=4, required=True, error_messages={"required": _("请填写随访建议")})
    referral = forms.BooleanField(label=_("转诊"), required=False)
    referral_to = forms.CharField(label=_("转诊去向"), required=False, max_length=200)
    exam = forms.CharField(label=_("预约检查项目"), required=False, max_length=200)
    exam_booked_on = forms.DateField(label=_("预约检查日期"), required=False, widget=DATE)
    result = _text(_("检查或复查结果"))
    next_check_on = forms.DateField(
        label=_("下次复查日期"), required=False, widget=DATE, help_text=_("到期未联系时会出现在负责人的待办提醒中")
    )

    field_order = [
        "contact_on",
        "advice",
        "referral",
        "referral_to",
        "exam",
        "exam_booked_on",
        "result",
        "next_check_on",
    ]
