from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.uploads import accept_attribute
from dangjian.orgs.models import Department, Organization
from dangjian.people.models import Person
from dangjian.sheets.forms import SheetFileField

from .matter_services import EVIDENCE_TYPES
from .models import CareRule, EventKind, MatterStatus, ObligationKind, Responsible, SupportKind
from .models.care import CARE_CONFIDENCE

DATE = forms.DateInput(attrs={"type": "date"})


class PersonField(forms.CharField):
    """A person by 公民身份号码 or by a name unique in the user's scope (scope lists can hold 100,000 people)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("职工（姓名或公民身份号码）"))
        super().__init__(max_length=50, **kwargs)
        self.people = Person.objects.none()

    def clean(self, value):
        value = super().clean(value).strip()
        found = list(self.people.filter(id_number=value.upper())[:1]) or list(self.people.filter(name=value)[:2])
        if not found:
            raise forms.ValidationError(_("您管理范围内没有找到该职工"))
        if len(found) > 1:
            raise forms.ValidationError(_("有同名职工，请填写公民身份号码"))
        return found[0]


class EventForm(forms.Form):
    person = PersonField()
    kind = forms.ChoiceField(label=_("事件类型"), choices=EventKind.choices)
    occurred_on = forms.DateField(label=_("发生日期"), widget=DATE)
    description = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].people = people
        self.fields["occurred_on"].initial = timezone.localdate()


class CloseForm(forms.Form):
    done_on = forms.DateField(label=_("办理日期"), widget=DATE)
    what_done = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_needed = forms.BooleanField(label=_("需要后续跟进"), required=False)
    follow_up_on = forms.DateField(label=_("跟进日期"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()


class RuleForm(forms.Form):
    """A care line: its identity (only when new) and its terms, which take effect from a date as a new version."""

    trigger = forms.ChoiceField(label=_("触发事件"), choices=EventKind.choices)
    kind = forms.ChoiceField(label=_("关怀方式"), choices=ObligationKind.choices)
    responsible = forms.ChoiceField(label=_("责任人"), choices=Responsible.choices)
    deadline_days = forms.IntegerField(label=_("期限（天）"), min_value=0, max_value=365)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    confidence = forms.ChoiceField(label=_("依据类别"), choices=CARE_CONFIDENCE, initial="L")
    source = forms.CharField(label=_("依据"), max_length=200, required=False)
    effective_from = forms.DateField(
        label=_("生效日期"),
        required=False,
        widget=DATE,
        help_text=_("留空为今天。该日及以后发生的事件按新规则；此前发生的事件仍按原规则。"),
    )
    reason = forms.CharField(label=_("修改原因"), max_length=200, required=False)

    def __init__(self, *args, rule: CareRule | None = None, terms: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if rule is not None:
            # a line's identity is fixed: what obligations point at does not change under them
            for f in ("trigger", "kind", "responsible"):
                self.fields[f].disabled = True
                self.fields[f].initial = getattr(rule, f)
        for f, v in (terms or {}).items():
            self.fields[f].initial = v


class ImportForm(forms.Form):
    file = SheetFileField(label=_("文件（.xlsx 或 .csv）"))
    dry_run = forms.BooleanField(label=_("仅预检，不写入"), required=False, initial=True)


class EventFilterForm(forms.Form):
    STATUS = [("", _("全部")), ("open", _("有待办")), ("overdue", _("有超期")), ("closed", _("已全部办结"))]
    q = forms.CharField(label=_("姓名"), required=False)
    kind = forms.ChoiceField(label=_("事件类型"), choices=[("", _("全部"))] + list(EventKind.choices), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=STATUS, required=False)
    org = forms.ModelChoiceField(label=_("党组织"), queryset=Organization.objects.none(), required=False)
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.none(), required=False)
    start = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    end = forms.DateField(label=_("截止日期"), required=False, widget=DATE)

    def __init__(self, *args, orgs=None, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["department"].queryset = departments


class ObligationFilterForm(forms.Form):
    STATUS = [("open", _("待办")), ("overdue", _("已超期")), ("closed", _("已办结")), ("all", _("全部"))]
    status = forms.ChoiceField(label=_("状态"), choices=STATUS, required=False)
    kind = forms.ChoiceField(label=_("方式"), choices=[("", _("全部"))] + list(ObligationKind.choices), required=False)
    mine = forms.BooleanField(label=_("只看我的"), required=False)
    unassigned = forms.BooleanField(label=_("未指定责任人"), required=False)


class HardshipForm(forms.Form):
    person = PersonField()
    registered_on = forms.DateField(label=_("登记日期"), widget=DATE)
    reason = forms.CharField(label=_("困难情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].people = people
        self.fields["registered_on"].initial = timezone.localdate()


class SupportForm(forms.Form):
    given_on = forms.DateField(label=_("帮扶日期"), widget=DATE)
    kind = forms.ChoiceField(label=_("帮扶方式"), choices=SupportKind.choices)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, max_digits=10, decimal_places=2, required=False)
    given_by = forms.CharField(label=_("帮扶人/单位"), max_length=100)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class MatterForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    organization = forms.ModelChoiceField(label=_("责任党组织"), queryset=Organization.objects.none())
    owner = PersonField(label=_("负责人（姓名或公民身份号码）"))
    description = forms.CharField(label=_("内容与目标"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    beneficiary_count = forms.IntegerField(label=_("受益人数"), min_value=0, max_value=1_000_000, initial=0)
    beneficiary_groups = forms.CharField(label=_("受益群体"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=MatterStatus.choices)
    evidence_reference = forms.CharField(label=_("佐证材料说明"), max_length=300, required=False)

    def __init__(self, *args, orgs=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs
        self.fields["owner"].people = people
        self.fields["year"].initial = timezone.localdate().year


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点"), max_length=200)
    planned_on = forms.DateField(label=_("计划日期"), widget=DATE)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("完成日期"), widget=DATE)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("佐证文件"),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(EVIDENCE_TYPES)}),
        help_text=_("PDF、图片、Word、Excel 或 OFD，单个文件不超过 20 MB"),
    )


class MatterFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    org = forms.ModelChoiceField(label=_("党组织"), queryset=Organization.objects.none(), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部"))] + list(MatterStatus.choices), required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class CloseEntryForm(forms.Form):
    closed_on = forms.DateField(label=_("脱困日期"), widget=DATE)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)
