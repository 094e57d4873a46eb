"""The forms of the 示范岗 and 责任区 pages: filters, applications, decisions, reviews and reports."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import zones as zone_services
from .evidence import EVIDENCE_TYPES
from .models import ModelPost, ModelPostStatus, ProcessStage, Project, ResponsibilityZone
from .posts import FIELDS as POST_FIELDS
from .posts import VIEW, branches, members_of

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    org = forms.IntegerField(label=_("党组织"), required=False, min_value=1)
    status = forms.CharField(label=_("状态"), required=False, max_length=20)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2100)


class _Carrier(forms.ModelForm):
    person_field = ""

    def __init__(self, *args, user, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = branches(user)
        self.fields["organization"].queryset = orgs
        # ``people``: the members narrowed by the page's search (``core.forms.narrow_people``) in a large scope
        self.fields[self.person_field].queryset = members_of(orgs) if people is None else people
        self.fields["project"].queryset = Project.objects.visible_to(user, VIEW).filter(key=True).order_by("code")
        self.fields["stage"].queryset = ProcessStage.objects.visible_to(user, VIEW).select_related("line")
        if orgs.count() == 1:
            self.fields["organization"].initial = orgs.first()
        self.fields["starts_on"].initial = timezone.localdate()


class ModelPostForm(_Carrier):
    person_field = "holder"

    class Meta:
        model = ModelPost
        fields = list(POST_FIELDS)
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "duties": forms.Textarea(attrs={"rows": 4}),
            "commitment": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "holder": _("个人示范岗：本支部的在册党员"),
            "collective": _("集体示范岗：如“××室计量检定班组”"),
            "project": _("可选：示范岗服务的重点任务"),
        }


class ZoneForm(_Carrier):
    person_field = "member"

    class Meta:
        model = ResponsibilityZone
        fields = [
            "organization",
            "name",
            "member",
            "area",
            "commitments",
            "report_every",
            "project",
            "stage",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "area": forms.Textarea(attrs={"rows": 3}),
            "commitments": forms.Textarea(attrs={"rows": 4}),
        }


class ApproveForm(forms.Form):
    plate_no = forms.CharField(
        label=_("授牌编号"), required=False, max_length=60, help_text=_("留空则按年度顺序自动编号，如 SFG2026-001")
    )
    decided_on = forms.DateField(label=_("审批日期"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("不予批准的理由"), widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = forms.DateField(label=_("审批日期"), widget=DATE, initial=timezone.localdate)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), widget=forms.Textarea(attrs={"rows": 3}))
    withdrawn_on = forms.DateField(label=_("撤销日期"), widget=DATE, initial=timezone.localdate)


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("评议年度"), min_value=1949, max_value=2100)
    score = forms.DecimalField(label=_("评议得分"), min_value=0, max_value=100, decimal_places=1, max_digits=5)
    reviewed_on = forms.DateField(label=_("评议日期"), widget=DATE, initial=timezone.localdate)
    comment = forms.CharField(label=_("评议意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ZoneReportForm(forms.Form):
    period = forms.CharField(label=_("报告期"), max_length=10)
    reported_on = forms.DateField(label=_("报告日期"), widget=DATE, initial=timezone.localdate)
    content = forms.CharField(label=_("履责情况"), widget=forms.Textarea(attrs={"rows": 5}))
    results = forms.CharField(label=_("取得成效"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence_title = forms.CharField(label=_("佐证材料名称"), required=False, max_length=200)
    evidence_file = forms.FileField(
        label=_("佐证材料"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EVIDENCE_TYPES)}),
    )

    def __init__(self, *args, zone: ResponsibilityZone, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["period"].initial = zone_services.periods.last_finished(today, zone.report_every)
        self.fields["period"].help_text = (
            _("按月报告：如 2026-03") if zone.report_every == "month" else _("按季度报告：如 2026Q1")
        )


class EndZoneForm(forms.Form):
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, initial=timezone.localdate)


POST_STATUSES = ModelPostStatus.choices
