"""The pages' forms for talks, study records, contact points, visits and hour rates."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContactPoint, ContactVisit, HourRate, StudyRecord, Talk
from .services import MAX_RATE, NO_LEADERS, assignable_branches, leaders


class TalkForm(forms.ModelForm):
    class Meta:
        model = Talk
        fields = ["organization", "talker", "talkee", "held_on", "topics", "follow_up", "follow_up_due"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "follow_up_due": forms.DateInput(attrs={"type": "date"}),
            "topics": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, branches=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = branches
        self.fields["talker"].queryset = people
        self.fields["talkee"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("talker") and data.get("talker") == data.get("talkee"):
            self.add_error("talkee", _("谈话人与谈话对象不能是同一人"))
        if data.get("follow_up_due") and data.get("held_on") and data["follow_up_due"] < data["held_on"]:
            self.add_error("follow_up_due", _("跟进期限不能早于谈话日期"))
        return data


class ContactPointForm(forms.ModelForm):
    class Meta:
        model = ContactPoint
        fields = ["leader", "organization", "since", "until"]
        widgets = {"since": forms.DateInput(attrs={"type": "date"}), "until": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # An institute's office assigns contact points inside its own institute.
        self.fields["organization"].queryset = assignable_branches(user)
        # the office's 党委 members and leader-role holders (see ``leaders`` for why these are the 领导干部)
        leader = self.fields["leader"]
        leader.queryset = leaders(user)
        if not leader.queryset.exists():  # say why the list is empty, not only that a choice is required
            leader.help_text = NO_LEADERS
            leader.error_messages["required"] = NO_LEADERS


class VisitForm(forms.ModelForm):
    class Meta:
        model = ContactVisit
        fields = ["visited_on", "summary", "issues"]
        widgets = {"visited_on": forms.DateInput(attrs={"type": "date"}), "summary": forms.Textarea(attrs={"rows": 4})}


class StudyForm(forms.ModelForm):
    class Meta:
        model = StudyRecord
        fields = ["person", "studied_on", "title", "hours"]
        widgets = {"studied_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    # the hours are bounded by StudyRecord.clean (one day's study), which the form runs like the service and the API


class HourRateForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for rate in HourRate.objects.all():
            self.fields[rate.kind] = forms.DecimalField(
                label=rate.get_kind_display(), min_value=0, max_value=MAX_RATE, decimal_places=1, initial=rate.hours
            )
