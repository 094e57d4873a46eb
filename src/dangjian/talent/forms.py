"""The talent pages' forms; the services re-check every choice inside their transaction."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person

from .models import (
    Mentorship,
    MentorshipReview,
    MentorshipStatus,
    ReserveRecord,
    ReserveStatus,
    SecretaryReserve,
    YoungMarxistClass,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _orgs(user, perm: str):
    return Organization.objects.visible_to(user, perm).active().order_by("path")


def _people(user, perm: str, members_only: bool = False):
    qs = Person.objects.visible_to(user, perm)
    if members_only:
        qs = qs.filter(pk__in=Membership.objects.current().values("person_id"))
    return qs.order_by("sort_key", "name")


NOT_FOUND = _("您管理范围内没有该公民身份号码或工号的人员")


def _by_number(user, perm: str, raw: str) -> Person:
    """The person of an ID number or employee number within the user's scope: a drop-down of the whole
    institute's staff would neither fit nor load quickly."""
    raw = "".join(raw.split()).upper()
    people = _people(user, perm)
    found = people.filter(id_number__iexact=raw).first() or people.filter(employee_no=raw).first()
    if found is None:
        raise forms.ValidationError(NOT_FOUND)
    return found


class ReserveForm(forms.ModelForm):
    class Meta:
        model = SecretaryReserve
        fields = ["organization", "person", "nominated_on", "criteria", "target"]
        widgets = {"nominated_on": DATE, "criteria": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, perm, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user, perm)
        self.fields["target"].queryset = _orgs(user, perm).filter(kind="branch")
        self.fields["person"].queryset = _people(user, perm, members_only=True)


class ReserveRecordForm(forms.ModelForm):
    class Meta:
        model = ReserveRecord
        fields = ["kind", "held_on", "title", "rating", "note"]
        widgets = {"held_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}


class ReserveMoveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("改为"),
        choices=[(s.value, s.label) for s in ReserveStatus if s != ReserveStatus.CANDIDATE],
    )
    on = forms.DateField(label=_("日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MentorshipForm(forms.ModelForm):
    class Meta:
        model = Mentorship
        fields = ["organization", "mentor", "apprentice", "starts_on", "ends_on", "goals"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "goals": forms.Textarea(attrs={"rows": 4})}

    mentor = forms.CharField(label=_("导师（公民身份号码或工号）"), max_length=40)
    apprentice = forms.CharField(label=_("徒弟（公民身份号码或工号）"), max_length=40)

    def __init__(self, *args, user, perm, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.perm = user, perm
        self.fields["organization"].queryset = _orgs(user, perm)

    def clean_mentor(self) -> Person:
        return _by_number(self.user, self.perm, self.cleaned_data["mentor"])

    def clean_apprentice(self) -> Person:
        return _by_number(self.user, self.perm, self.cleaned_data["apprentice"])


class MentorshipReviewForm(forms.ModelForm):
    class Meta:
        model = MentorshipReview
        fields = ["reviewed_on", "rating", "progress"]
        widgets = {"reviewed_on": DATE, "progress": forms.Textarea(attrs={"rows": 3})}


class MentorshipCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("结果"),
        choices=[(MentorshipStatus.COMPLETED.value, _("出师")), (MentorshipStatus.ENDED.value, _("终止"))],
    )
    on = forms.DateField(label=_("日期"), widget=DATE)
    outcome = forms.CharField(label=_("带教成效或终止原因"), widget=forms.Textarea(attrs={"rows": 3}))


class ClassForm(forms.ModelForm):
    class Meta:
        model = YoungMarxistClass
        fields = ["organization", "name", "starts_on", "ends_on", "required_rate"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, user, perm, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _orgs(user, perm)


class EnrollForm(forms.Form):
    """A student named by ID number or employee number: a drop-down of the whole institute's staff would not fit
    (nor load quickly)."""

    person = forms.CharField(label=_("学员（公民身份号码或工号）"), max_length=40)
    on = forms.DateField(label=_("入班日期"), widget=DATE)

    def __init__(self, *args, user, perm, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.perm = user, perm

    def clean_person(self) -> Person:
        return _by_number(self.user, self.perm, self.cleaned_data["person"])


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("上课日期"), widget=DATE)
    topic = forms.CharField(label=_("课程"), max_length=200)
    lecturer = forms.CharField(label=_("授课人"), max_length=100, required=False)
    absent = forms.MultipleChoiceField(
        label=_("缺课学员"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["absent"].choices = [(s.pk, s.person.name) for s in students]


class DateForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE)
