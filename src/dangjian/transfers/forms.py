from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.models import Department, Organization
from dangjian.people.models import MembershipStatus, Person

from .models import ContactMethod, Direction, TrackingStatus, TransferStatus
from .rules import remove_years, suspend_months

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # <input type=date> needs ISO


class MonthField(forms.CharField):
    """'2026-05' (or 2026年5月) → the first day of that month; empty stays None."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month", "placeholder": "2026-05"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, date) else value

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", value)
        if not m or not 1 <= int(m.group(2)) <= 12 or not 1949 <= int(m.group(1)) <= 2100:
            raise forms.ValidationError(gettext("请按“2026-05”的格式填写年月"))
        return date(int(m.group(1)), int(m.group(2)), 1)


class RequestForm(forms.Form):
    person = forms.ModelChoiceField(label=_("党员"), queryset=Person.objects.none())
    to_org = forms.ModelChoiceField(
        label=_("系统内接收党支部"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("转往本系统内的党支部时选择"),
    )
    to_name = forms.CharField(
        label=_("系统外接收党组织名称"), max_length=100, required=False, help_text=_("转往系统外时填写，将开具介绍信")
    )
    reason = forms.CharField(label=_("转接原因"), max_length=200, help_text=_("如：调动工作、毕业、户籍迁移"))
    requested_on = forms.DateField(label=_("申请日期"), widget=DATE)

    def __init__(self, *args, people=None, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()
        self.fields["to_org"].queryset = branches if branches is not None else Organization.objects.none()
        self.fields["requested_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("to_org") and data.get("to_name"):
            self.add_error("to_name", _("系统内接收党支部与系统外党组织只能二选一"))
        elif not data.get("to_org") and not data.get("to_name"):
            self.add_error("to_org", _("请选择系统内的接收党支部，或填写系统外接收党组织名称"))
        return data


class SendForm(forms.Form):
    on = forms.DateField(label=_("发出日期"), widget=DATE)
    dues_paid_to = MonthField(
        label=_("党费交至（年月）"), required=False, help_text=_("不清楚可留空，介绍信上留出空白")
    )


class AcceptForm(forms.Form):
    on = forms.DateField(label=_("接收日期"), widget=DATE)


class RejectForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class IncomingForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("公民身份号码"), max_length=18)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, initial="汉族")
    member_status = forms.ChoiceField(label=_("党员类别"), choices=MembershipStatus.choices)
    admitted_on = forms.DateField(label=_("入党日期"), widget=DATE)
    converted_on = forms.DateField(label=_("转正日期"), widget=DATE, required=False)
    from_name = forms.CharField(label=_("转出党组织（来函单位）"), max_length=100)
    letter_ref = forms.CharField(label=_("来函介绍信编号"), max_length=50, required=False)
    sent_on = forms.DateField(label=_("介绍信开具日期"), widget=DATE)
    valid_until = forms.DateField(
        label=_("有效期至"), widget=DATE, required=False, help_text=_("留空则按默认有效期计算")
    )
    dues_paid_to = MonthField(label=_("党费交至（年月）"), required=False)
    to_org = forms.ModelChoiceField(label=_("接收党支部"), queryset=Organization.objects.none())
    department = forms.ModelChoiceField(label=_("所在部门"), queryset=Department.objects.none(), required=False)
    reason = forms.CharField(label=_("转入原因"), max_length=200, required=False)

    def __init__(self, *args, branches=None, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = branches if branches is not None else Organization.objects.none()
        self.fields["department"].queryset = departments if departments is not None else Department.objects.none()

    def data_for_service(self) -> dict:
        d = dict(self.cleaned_data)
        d["to_org_id"] = d.pop("to_org").pk
        dept = d.pop("department")
        d["department_id"] = dept.pk if dept else None
        return d


class TransferFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名"), required=False, max_length=50)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + list(TransferStatus.choices)
    )
    direction = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部"))] + list(Direction.choices))
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2100)
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)


class LostOpenForm(forms.Form):
    person = forms.ModelChoiceField(label=_("党员"), queryset=Person.objects.none())
    last_contact_on = forms.DateField(label=_("最后联系上的日期"), widget=DATE)
    note = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class ContactForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE)
    method = forms.ChoiceField(
        label=_("方式"), choices=[c for c in ContactMethod.choices if c[0] != ContactMethod.REPORTED]
    )
    reached = forms.BooleanField(label=_("已联系上本人"), required=False)
    note = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE)
    decided_by = forms.CharField(label=_("作出决定的党组织"), max_length=100)
    document_ref = forms.CharField(label=_("文件/会议记录编号"), max_length=100)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class LostFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名"), required=False, max_length=50)
    flag = forms.ChoiceField(label=_("提醒"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + list(TrackingStatus.choices)
    )
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, today: date | None = None, **kwargs):
        """The flags name the months and years of the rules in force ``today`` (第24条: 6 months, 2 years)."""
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        field = self.fields["flag"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", gettext("全部")),
            ("any", gettext("待作出决定")),
            ("suspend_due", gettext("失联满%(n)d个月") % {"n": suspend_months(today)}),
            ("removal_due", gettext("停止党籍满%(n)d年") % {"n": remove_years(today)}),
            ("restore_pending", gettext("已恢复联系待恢复党籍")),
        ]
