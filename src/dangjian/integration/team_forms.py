"""The forms of the taskforce and pledge pages; the services check everything again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Fulfilment, Pledge, ProcessStage, Project, Taskforce, TaskforceMember, TaskforceReport

DATE = forms.DateInput(attrs={"type": "date"})


class TaskforceForm(forms.ModelForm):
    class Meta:
        model = Taskforce
        fields = ["organization", "project", "kind", "name", "mission", "notice_no", "starts_on", "ends_on"]
        labels = {"starts_on": _("组建日期"), "ends_on": _("计划结束日期"), "organization": _("负责管理的党组织")}
        widgets = {"starts_on": DATE, "ends_on": DATE, "mission": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"ends_on": _("不填时按重点任务的计划完成日期计")}

    def __init__(self, *args, organizations=None, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["project"].queryset = projects
        self.fields["project"].required = True


class TaskforceEditForm(forms.ModelForm):
    class Meta:
        model = Taskforce
        fields = ["name", "mission", "notice_no", "ends_on"]
        labels = {"ends_on": _("计划结束日期")}
        widgets = {"ends_on": DATE, "mission": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"ends_on": _("不填时按重点任务的计划完成日期计")}


class FlagForm(forms.Form):
    flag_presented_on = forms.DateField(label=_("授旗日期"), widget=DATE, initial=timezone.localdate)


class RosterForm(forms.ModelForm):
    class Meta:
        model = TaskforceMember
        fields = ["person", "role", "joined_on"]
        widgets = {"joined_on": DATE}

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].help_text = _("可选择党员、入党积极分子和非党员职工")


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("离队日期"), widget=DATE, initial=timezone.localdate)


class ReportForm(forms.ModelForm):
    evidence_title = forms.CharField(label=_("佐证材料名称"), max_length=200, required=False)
    evidence_file = forms.FileField(label=_("佐证材料"), required=False)

    class Meta:
        model = TaskforceReport
        fields = ["reported_on", "content", "meeting"]
        widgets = {"reported_on": DATE, "content": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"meeting": _("在党委会议上汇报的，选择该次会议")}

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class DisbandForm(forms.Form):
    ends_on = forms.DateField(label=_("解散日期"), widget=DATE, initial=timezone.localdate)
    summary = forms.CharField(label=_("工作总结"), widget=forms.Textarea(attrs={"rows": 6}))


class PledgeForm(forms.ModelForm):
    class Meta:
        model = Pledge
        fields = ["year", "promise", "project", "stage"]
        widgets = {"promise": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"project": _("承诺围绕的重点任务（可不选）"), "stage": _("或承诺围绕的业务流程环节（可不选）")}

    def __init__(self, *args, projects=None, stages=None, people=None, fixed_year: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects if projects is not None else Project.objects.none()
        self.fields["stage"].queryset = stages if stages is not None else ProcessStage.objects.none()
        self.fields["year"].initial = timezone.localdate().year
        if fixed_year:
            self.fields["year"].disabled = True
        if people is not None:
            self.fields["person"] = forms.ModelChoiceField(queryset=people, label=_("党员"))
            self.order_fields(["person", "year", "promise", "project", "stage"])

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("请填写正确的年度"))
        return year


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 3}))


class FulfilmentForm(forms.Form):
    fulfilment = forms.ChoiceField(label=_("践诺情况"), choices=Fulfilment.choices)
    fulfilment_note = forms.CharField(label=_("践诺评价"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
