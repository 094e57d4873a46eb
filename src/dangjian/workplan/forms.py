"""The work plan pages' forms; every choice list is limited to the user's scope (the services check again)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.integration.evidence import EVIDENCE_KINDS, EVIDENCE_TYPES
from dangjian.integration.models import BusinessLine, Project
from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Membership, Person

from .models import WorkPlan
from .services import CHANGE, MANAGE, VIEW, deployable_organizations

DATE = forms.DateInput(attrs={"type": "date"})


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=timezone.localdate().year)


class PlanCreateForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("党委"), queryset=Organization.objects.none())
    year = _year_field()
    title = forms.CharField(
        label=_("标题"), max_length=200, required=False, help_text=_("不填则按“××党委××年党建工作要点”")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.visible_to(user, MANAGE).filter(kind=OrgKind.COMMITTEE).order_by("path")
        )


class PlanDeriveForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("党组织"), queryset=Organization.objects.none())
    year = _year_field()
    title = forms.CharField(label=_("标题"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.visible_to(user, CHANGE).exclude(kind=OrgKind.COMMITTEE).active().order_by("path")
        )


class PlanEditForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    summary = forms.CharField(
        label=_("年度工作总结"), required=False, widget=forms.Textarea(attrs={"rows": 10}), help_text=_("年终总结正文")
    )


class PublishForm(forms.Form):
    doc_no = forms.CharField(label=_("文号"), max_length=60)
    published_on = forms.DateField(label=_("印发日期"), widget=DATE, initial=timezone.localdate)


class ItemForm(forms.Form):
    category = forms.CharField(
        label=_("类别"), max_length=60, required=False, help_text=_("如：政治建设、组织建设、融合发展")
    )
    title = forms.CharField(label=_("工作事项"), max_length=300)
    content = forms.CharField(label=_("工作内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    lines = forms.ModelMultipleChoiceField(
        label=_("服务主业"), queryset=BusinessLine.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("服务重点任务"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, user, plan: WorkPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].queryset = BusinessLine.objects.visible_to(user, VIEW).order_by("order", "code")
        start, end = date(plan.year, 1, 1), date(plan.year, 12, 31)
        # the key tasks running in the plan's year (a key task of year Y)
        self.fields["projects"].queryset = (
            Project.objects.visible_to(user, VIEW)
            .filter(key=True, starts_on__lte=end)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
            .distinct()
            .order_by("code")
        )


class DeployForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("责任单位"), queryset=Organization.objects.none())
    responsible = forms.ModelChoiceField(
        label=_("责任人"), queryset=Person.objects.none(), help_text=_("责任单位的党员")
    )
    measure = forms.CharField(label=_("工作措施"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("完成时限"), widget=DATE)

    def __init__(self, *args, user, plan: WorkPlan, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = deployable_organizations(user, plan)
        self.fields["organization"].queryset = orgs
        members = Membership.objects.current().filter(organization__path__startswith=plan.organization.path)
        self.fields["responsible"].queryset = Person.objects.filter(pk__in=members.values("person_id")).order_by(
            "sort_key", "name", "pk"
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(EVIDENCE_TYPES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    year = _year_field()
    quarter = forms.TypedChoiceField(
        label=_("季度"), coerce=int, choices=[(q, _("第%(q)d季度") % {"q": q}) for q in range(1, 5)]
    )
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    content = forms.CharField(label=_("推进情况"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence_title = forms.CharField(
        label=_("佐证材料名称"), max_length=200, required=False, help_text=_("不填则用文件名")
    )
    files = MultipleFileField(label=_("佐证材料"), required=False, help_text=EVIDENCE_KINDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].initial = (timezone.localdate().month - 1) // 3 + 1

    def uploads(self) -> list[tuple[str, object]]:
        title = self.cleaned_data.get("evidence_title", "").strip()
        return [(title or f.name, f) for f in self.cleaned_data.get("files") or []]


class DoneForm(forms.Form):
    completed_on = forms.DateField(label=_("完成日期"), widget=DATE, initial=timezone.localdate)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), widget=forms.Textarea(attrs={"rows": 3}))
