"""The forms of the 支部共建, 联席 and matrix-link pages; the services decide, the forms only collect."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.models import Organization

from .evidence import EVIDENCE_KINDS
from .links import reachable_stages
from .models import JointActivity, JointBuilding, LeaderLiaison, Partner, ProcessStage, Project

VIEW = "integration.view"
CHANGE = "integration.change"
DATE = forms.DateInput(attrs={"type": "date"})


def maintained_units(user):
    return Organization.objects.visible_to(user, CHANGE).active().order_by("path")


def business_fields(form: forms.Form, user) -> None:
    """The key tasks and stages the user sees, for a link or an agreement."""
    form.fields["project"].queryset = (
        Project.objects.visible_to(user, VIEW).filter(key=True).order_by("-starts_on", "code")
    )
    form.fields["stage"].queryset = reachable_stages(user)


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["organization", "name", "kind", "party_organization", "contact", "phone"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organization"]  # a partner stays with the organisation that registered it
        else:
            self.fields["organization"].queryset = maintained_units(user)

    def validate_unique(self):  # the service says it, in its own words
        pass


class AgreementForm(forms.ModelForm):
    class Meta:
        model = JointBuilding
        fields = ["title", "content", "starts_on", "ends_on", "project", "stage"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        business_fields(self, user)
        self.fields["ends_on"].help_text = _("协议终止时填写；也可在协议页面“终止共建”")


class EndForm(forms.Form):
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, initial=timezone.localdate)


class ActivityForm(forms.ModelForm):
    evidence_title = forms.CharField(label=_("佐证材料名称"), max_length=200, required=False)
    evidence = forms.FileField(label=_("佐证材料"), required=False, help_text=EVIDENCE_KINDS)

    class Meta:
        model = JointActivity
        fields = ["held_on", "title", "content", "results"]
        widgets = {
            "held_on": DATE,
            "content": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 3}),
        }


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("材料名称"), max_length=200)
    file = forms.FileField(label=_("文件"), help_text=EVIDENCE_KINDS)


class LiaisonForm(forms.ModelForm):
    class Meta:
        model = LeaderLiaison
        fields = ["leader", "organization", "held_on", "topics", "decisions", "follow_up", "follow_up_due"]
        widgets = {
            "held_on": DATE,
            "follow_up_due": DATE,
            "topics": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders
        self.fields["organization"].queryset = maintained_units(user)


class DoneForm(forms.Form):
    done_on = forms.DateField(label=_("落实日期"), widget=DATE, initial=timezone.localdate)


class LinkForm(forms.Form):
    project = forms.ModelChoiceField(label=_("重点任务"), queryset=Project.objects.none(), required=False)
    stage = forms.ModelChoiceField(label=_("业务流程环节"), queryset=ProcessStage.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        business_fields(self, user)
        self.fields["stage"].help_text = _("重点任务与业务流程环节二者选其一")


class ConfirmForm(forms.Form):
    """An empty form: the confirmation page posts it."""
