from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.meetings.models import MeetingKind
from dangjian.orgs.models import OrgKind
from dangjian.rules.choices import CHOICES as CONFIDENCE_CHOICES

from .models import Condition, PeriodKind

_DATE = forms.DateInput(attrs={"type": "date"})
_EFFECTIVE_HELP = "该日及以后开始的考核周期按此版本判断；已经开始的周期仍按原版本。"


class RuleForm(forms.Form):
    """An obligation's terms: a new obligation, or a new version of one (a version in the rule store)."""

    title = forms.CharField(label=_("名称"), max_length=100)
    org_kind = forms.ChoiceField(label=_("适用组织"), choices=OrgKind.choices)
    condition = forms.ChoiceField(label=_("适用条件"), choices=Condition.choices, required=False)
    meeting_kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    period = forms.ChoiceField(label=_("周期"), choices=PeriodKind.choices)
    required_count = forms.IntegerField(label=_("每周期次数"), min_value=1, max_value=100, initial=1)
    counts_group_meetings = forms.BooleanField(
        label=_("党小组召开的也计入"),
        required=False,
        help_text=_("如组织生活会可以党小组会形式召开：下属党小组召开的同类会议计入本组织"),
    )
    citation = forms.CharField(label=_("依据"), max_length=200)
    confidence = forms.ChoiceField(label=_("依据类别"), choices=CONFIDENCE_CHOICES)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    effective_from = forms.DateField(label=_("生效日期"), widget=_DATE, help_text=_EFFECTIVE_HELP)
    reason = forms.CharField(label=_("修改原因"), max_length=200, required=False)

    def __init__(self, *args, creating: bool = False, terms=None, **kwargs):
        if terms is not None:
            kwargs.setdefault(
                "initial", {**terms.value(), **{k: getattr(terms, k) for k in ("citation", "confidence", "note")}}
            )
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate()
        if creating:
            del self.fields["reason"]
            self.fields["confidence"].initial = "L"
            self.fields["effective_from"].help_text = "该日及以后开始的考核周期适用本规则。"

    def data_dict(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("effective_from", "reason")}


class ToggleForm(forms.Form):
    effective_from = forms.DateField(label="生效日期", widget=_DATE, help_text=_EFFECTIVE_HELP)
    reason = forms.CharField(label="原因", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate()


class SettingForm(forms.Form):
    """A new version of one of the checker's settings (a version in the rule store)."""

    value = forms.IntegerField(label="数值（天）", min_value=0, max_value=3650)
    citation = forms.CharField(label="依据", max_length=200)
    confidence = forms.ChoiceField(label="依据类别", choices=CONFIDENCE_CHOICES)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    effective_from = forms.DateField(label="生效日期", widget=_DATE)
    reason = forms.CharField(label="修改原因", max_length=200, required=False)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and not args:
            kwargs.setdefault(
                "initial",
                {k: getattr(instance, k) for k in ("value", "citation", "confidence", "note")},
            )
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate()
        if instance is not None:
            for k in ("value", "citation", "confidence", "note"):
                self.fields[k].initial = getattr(instance, k)

    def data_dict(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("effective_from", "reason")}
