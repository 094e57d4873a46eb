from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.meetings.models import Meeting
from dangjian.meetings.models.meeting import HELD_STATUSES
from dangjian.orgs.models import Organization

from .models import Grade


class OpenForm(forms.Form):
    organization = forms.ModelChoiceField(label="党支部", queryset=Organization.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = branches
        self.fields["year"].initial = timezone.localdate().year


class SelfReviewForm(forms.Form):
    self_review = forms.CharField(label="个人自评", widget=forms.Textarea(attrs={"rows": 8}), max_length=5000)


def grade_field(label: str, required: bool = True) -> forms.ChoiceField:
    choices = ([] if required else [("", "—")]) + list(Grade.choices)
    return forms.ChoiceField(label=label, choices=choices, required=required, widget=forms.RadioSelect)


class StartVoteForm(forms.Form):
    """Moving to the democratic vote; with self-reviews missing, the secretary confirms it after seeing who."""

    confirm_missing = forms.BooleanField(
        label=_("确认在有党员未提交自评的情况下结束自评互评、进入民主测评"), required=False
    )

    def __init__(self, *args, missing: list[str] = (), total: int = 0, **kwargs):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        if missing:
            self.fields["confirm_missing"].help_text = _("参评党员 %(total)s 人，未提交自评 %(n)s 人：%(names)s") % {
                "total": total,
                "n": len(missing),
                "names": "、".join(missing),
            }
        else:
            del self.fields["confirm_missing"]  # everyone has written one: nothing to confirm


class RatingsForm(forms.Form):
    """One radio group per other graded participant."""

    def __init__(self, *args, ratees=(), **kwargs):
        super().__init__(*args, **kwargs)
        for p in ratees:
            self.fields[f"r{p.pk}"] = grade_field(p.person.name, required=False)

    def grades(self) -> dict[int, str]:
        return {int(k[1:]): v for k, v in self.cleaned_data.items() if v}


class VoteForm(forms.Form):
    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        for p in participants:
            for grade, label in Grade.choices:
                self.fields[f"v{p.pk}_{grade}"] = forms.IntegerField(
                    label=f"{p.person.name} {label}", min_value=0, initial=getattr(p, f"vote_{grade}")
                )

    def counts(self) -> dict[int, dict[str, int]]:
        out: dict[int, dict[str, int]] = {}
        for key, value in self.cleaned_data.items():
            pid, grade = key[1:].split("_", 1)
            out.setdefault(int(pid), {})[grade] = value or 0
        return out


class ProposeForm(forms.Form):
    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        for p in participants:
            if p.graded:
                field = grade_field(p.person.name)
                field.initial = p.proposed_grade or None
                self.fields[f"g{p.pk}"] = field

    def grades(self) -> dict[int, str]:
        return {int(k[1:]): v for k, v in self.cleaned_data.items() if v}


class ConfirmForm(forms.Form):
    meeting = forms.ModelChoiceField(label="确认等次的党员大会", queryset=Meeting.objects.none())

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            organization=organization, kind="members_meeting", status__in=HELD_STATUSES
        ).order_by("-starts_at")
