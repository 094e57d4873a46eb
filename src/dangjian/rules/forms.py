from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.models import Organization

from . import services

_DATE = forms.DateInput(attrs={"type": "date"})


class FilterForm(forms.Form):
    app = forms.ChoiceField(label=_("业务"), required=False)
    confidence = forms.ChoiceField(label=_("依据类别"), required=False)
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def __init__(self, *args, apps: list[tuple[str, str]], confidences: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["app"].choices = [("", _("全部"))] + apps
        self.fields["confidence"].choices = [("", _("全部"))] + confidences


class ReviseForm(forms.Form):
    """A new version of an institute's rule, from a date, for the whole institute or one organisation's subtree."""

    value = forms.CharField(label=_("新数值"), max_length=50)
    effective_from = forms.DateField(
        label=_("生效日期"), widget=_DATE, help_text=_("该日及以后按新数值判断；此前发生的事仍按原数值。")
    )
    org_code = forms.CharField(
        label=_("只对某组织及其下级适用（填写组织代码；留空为全单位）"), required=False, max_length=50
    )
    reason = forms.CharField(label=_("修改原因"), max_length=200)

    def __init__(self, *args, key: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        self.user = user
        self.fields["effective_from"].initial = timezone.localdate()
        like = services.default_rule(key).value
        if isinstance(like, bool):
            self.fields["value"] = forms.ChoiceField(label=_("新数值"), choices=[("是", _("是")), ("否", _("否"))])

    def clean_value(self):
        return services.parse_value(self.key, self.cleaned_data["value"])

    def clean_org_code(self):
        code = self.cleaned_data["org_code"].strip()
        if not code:
            return None
        org = Organization.objects.filter(code=code).first()
        if org is None or not services.may_edit(self.user, org):
            raise forms.ValidationError(_("找不到该组织代码，或该组织不在您的管理范围内"))
        return org
