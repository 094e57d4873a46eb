"""Forms of the exemption pages (不计入应到会人数)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .models import ExemptionReason, Meeting


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class _MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{timezone.localdate(obj.starts_at):%Y-%m-%d} {obj.title}"


class ExemptionForm(forms.Form):
    person = _Named(label=_("党员"), queryset=Person.objects.none())
    reason = forms.ChoiceField(label=_("原因"), choices=ExemptionReason.choices)
    detail = forms.CharField(label=_("情况说明"), max_length=200, required=False)
    meeting = _MeetingChoice(
        label=_("会议"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("只针对一次会议时选择；否则填写起止日期"),
    )
    starts_on = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("不填表示长期")
    )
    approved_by = _Named(label=_("批准的上级党组织"), queryset=Organization.objects.none())
    approved_on = forms.DateField(label=_("批准日期"), widget=forms.DateInput(attrs={"type": "date"}))
    document_number = forms.CharField(label=_("批准文号或依据"), max_length=100)

    def __init__(self, *args, people, meetings, approvers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["meeting"].queryset = meetings
        self.fields["approved_by"].queryset = approvers

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {
            "person_id": d["person"].pk,
            "reason": d["reason"],
            "detail": d["detail"],
            "meeting_id": d["meeting"].pk if d.get("meeting") else None,
            "starts_on": d.get("starts_on"),
            "ends_on": d.get("ends_on"),
            "approved_by_id": d["approved_by"].pk,
            "approved_on": d["approved_on"],
            "document_number": d["document_number"],
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)
