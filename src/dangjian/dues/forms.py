from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.sheets.forms import SheetFileField

from .ledger import STATUS_LABELS
from .models import CATEGORY_CHOICES, PaymentKind, PaymentMethod, ReliefKind
from .rule_data import DUES_SINCE

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d", "%Y/%m"]


class MonthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", MONTH_FORMATS)
        kwargs.setdefault("error_messages", {"invalid": _("请填写月份，如 2026-03")})
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        # the dues rule table starts with the 2008 regulation: no amount exists for earlier months
        if value and not (DUES_SINCE <= value <= date(2100, 12, 31)):
            raise forms.ValidationError(_("请填写2008年4月以后的月份"))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's argument name
        super().__init__(attrs, format=format)


class PaymentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=PaymentKind.choices, initial=PaymentKind.REGULAR)
    month_from = MonthField(label=_("起始月份"), required=False, help_text=_("自愿多交党费不必填写月份"))
    month_to = MonthField(label=_("截止月份"), required=False)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0.01, max_digits=12, decimal_places=2)
    method = forms.ChoiceField(label=_("交纳方式"), choices=PaymentMethod.choices)
    receipt_number = forms.CharField(label=_("收据编号"), required=False, max_length=40)
    paid_on = forms.DateField(label=_("交纳日期"), widget=DateInput)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class BaseForm(forms.Form):
    month = MonthField(label=_("起始月份"), help_text=_("工资调整后，从领取新工资的当月起按新基数交纳"))
    category = forms.ChoiceField(label=_("党费类别"), choices=CATEGORY_CHOICES)
    monthly_base = forms.DecimalField(
        label=_("月缴费基数（元）"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_(
            "税后固定工资；年薪制人员填写当月实际领取的薪酬；个体经营者填写上季度月平均纯收入；"
            "离退休人员填写离退休费；学生、下岗失业、依靠抚恤或救济生活、领取最低生活保障金和农民党员可填0"
        ),
    )
    farmer_amount = forms.DecimalField(
        label=_("农民党员每月党费（元）"),
        required=False,
        max_digits=4,
        decimal_places=2,
        help_text=_("由支部在0.20元至1.00元之间确定；不填按0.20元"),
    )


class ReliefForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ReliefKind.choices)
    month_from = MonthField(label=_("起始月份"))
    month_to = MonthField(label=_("截止月份"))
    monthly_amount = forms.DecimalField(
        label=_("减免后每月应交（元）"), required=False, min_value=0.01, max_digits=10, decimal_places=2
    )
    reason = forms.CharField(label=_("理由（支部决定情况）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("作废原因"), max_length=200)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批结果"), choices=[("approve", _("批准")), ("reject", _("不批准"))])
    note = forms.CharField(label=_("审批意见"), required=False, max_length=200)


class ImportForm(forms.Form):
    file = SheetFileField(label=_("工资表文件（.xlsx 或 .csv）"))
    dry_run = forms.BooleanField(label=_("仅预检，不写入"), required=False, initial=True)


class LedgerFilter(forms.Form):
    month = MonthField(label=_("月份"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + list(STATUS_LABELS.items()))
    q = forms.CharField(label=_("姓名"), required=False, max_length=50)
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SummaryFilter(forms.Form):
    period = forms.ChoiceField(
        label=_("周期"), required=False, choices=[("month", _("月度")), ("year", _("年度"))], initial="month"
    )
    month = MonthField(label=_("月份"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2008, max_value=2099)
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
