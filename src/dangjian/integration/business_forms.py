"""The forms of the business lines, stages and key tasks pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.models import Department
from dangjian.sheets.forms import SheetFileField

from .business import PROJECT_FIELDS, committees_managed, lines_for, organizations_managed, stages_for
from .models import BusinessLine, Milestone, ProcessStage, Project, ProjectKind, ProjectStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _departments():
    return Department.objects.filter(dissolved_on__isnull=True).order_by("path")


class LineForm(forms.ModelForm):
    class Meta:
        model = BusinessLine
        fields = ["organization", "code", "name", "department", "order", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = committees_managed(user)
        self.fields["department"].queryset = _departments()
        self.fields["order"].required = False

    def clean_order(self):
        return self.cleaned_data.get("order") or 0


class StageForm(forms.ModelForm):
    class Meta:
        model = ProcessStage
        fields = ["name", "order", "department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments()
        self.fields["order"].required = False

    def clean_order(self):
        return self.cleaned_data.get("order") or 0


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = list(PROJECT_FIELDS)
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines_for(user).order_by("order", "code")
        self.fields["stage"].queryset = stages_for(user).select_related("line")
        self.fields["department"].queryset = _departments()
        self.fields["organization"].queryset = organizations_managed(user)
        self.fields["leader"].queryset = leaders  # narrowed (core.forms.narrow_people): a group has 150,000 people


class FilterForm(forms.Form):
    SORTS = [
        ("-starts_on", _("开始日期（新→旧）")),
        ("starts_on", _("开始日期（旧→新）")),
        ("code", _("任务编号")),
        ("name", _("任务名称")),
        ("ends_on", _("计划完成日期")),
    ]
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    line = forms.ModelChoiceField(
        label=_("主业"), queryset=BusinessLine.objects.none(), required=False, empty_label=_("全部")
    )
    kind = forms.ChoiceField(label=_("类别"), choices=[("", _("全部"))] + list(ProjectKind.choices), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部"))] + list(ProjectStatus.choices), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2100)
    key = forms.BooleanField(label=_("仅重点任务"), required=False)
    department = forms.ModelChoiceField(
        label=_("承担部门"), queryset=Department.objects.none(), required=False, empty_label=_("全部")
    )
    sort = forms.ChoiceField(label=_("排序"), choices=SORTS, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines_for(user).order_by("order", "code")
        self.fields["department"].queryset = _departments()
        self.fields["q"].widget.attrs["placeholder"] = _("编号、名称或负责人")


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "due_on", "order"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False


class AddOrganizationForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("参与党组织"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_managed(user, "integration.change")


class AddPersonForm(forms.Form):
    """A person named by ID number or employee number: a drop-down of an office's whole institute would not fit."""

    person = forms.CharField(label=_("参与人员（公民身份号码或工号）"), max_length=40)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_person(self):
        from dangjian.people.models import Person

        raw = "".join(self.cleaned_data["person"].split()).upper()
        people = Person.objects.visible_to(self.user, "people.view")
        found = people.filter(id_number__iexact=raw).first() or people.filter(employee_no=raw).first()
        if found is None:
            raise forms.ValidationError(_("您管理范围内没有该公民身份号码或工号的人员"))
        return found


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("删除原因"), max_length=200)


class ImportForm(forms.Form):
    file = SheetFileField(label=_("文件（.xlsx 或 .csv）"))
    dry_run = forms.BooleanField(label=_("仅预检，不写入"), required=False, initial=True)
