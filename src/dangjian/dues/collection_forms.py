"""Forms of the branch month collection and of the payroll-deduction import."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.sheets.forms import SheetFileField

from .collection import CollectionRow, Entry
from .forms import DateInput, MonthField
from .models import PaymentMethod

# a branch hands in cash, a transfer or a payroll deduction; online payments come from the payment platform
COLLECTION_METHODS = [
    (PaymentMethod.CASH, PaymentMethod.CASH.label),
    (PaymentMethod.TRANSFER, PaymentMethod.TRANSFER.label),
    (PaymentMethod.PAYROLL, PaymentMethod.PAYROLL.label),
    (PaymentMethod.OTHER, PaymentMethod.OTHER.label),
]


class CollectionPickForm(forms.Form):
    org = forms.ChoiceField(label=_("党支部"))
    month = MonthField(label=_("月份"))

    def __init__(self, *args, branches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(b.pk, b.name) for b in branches]


class CollectionForm(forms.Form):
    """The header of the collection (date, method); the members' rows are read by ``entries``."""

    paid_on = forms.DateField(label=_("交纳日期"), widget=DateInput)
    method = forms.ChoiceField(label=_("交纳方式"), choices=COLLECTION_METHODS, initial=PaymentMethod.CASH)

    def __init__(self, *args, rows: list[CollectionRow] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        self.row_errors: dict[int, list[str]] = {}
        self.entries: list[Entry] = []

    def clean_paid_on(self):
        value = self.cleaned_data["paid_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("交纳日期不能晚于今天"))
        return value

    def clean(self):
        cleaned = super().clean()
        data = self.data
        self.entries = []
        for row in self.rows:
            if not row.offered or not data.get(f"paid_{row.person_id}"):
                continue
            raw = (data.get(f"amount_{row.person_id}") or "").strip()
            note = (data.get(f"note_{row.person_id}") or "").strip()[:200]
            try:
                amount = Decimal(raw)
            except (InvalidOperation, ValueError):
                amount = None
            if amount is None or not amount.is_finite():
                self.row_errors.setdefault(row.person_id, []).append(str(_("请输入有效金额，如 45.68")))
            elif amount <= 0:
                self.row_errors.setdefault(row.person_id, []).append(str(_("金额必须大于0；未交的请取消勾选“已交”")))
            elif amount != amount.quantize(Decimal("0.01")):
                self.row_errors.setdefault(row.person_id, []).append(str(_("金额最多保留两位小数（到分）")))
            else:
                self.entries.append(Entry(row.person_id, amount, note))
        if self.row_errors:
            raise forms.ValidationError(_("部分党员的金额有误，请按提示修改"))
        if not self.entries and not self.errors:
            raise forms.ValidationError(_("没有勾选任何已交党费的党员"))
        return cleaned

    @property
    def total(self) -> Decimal:
        return sum((e.amount for e in self.entries), Decimal("0.00"))

    def value(self, row: CollectionRow, name: str, default):
        """What a row's input shows: the user's own value after a refusal, else the default."""
        if not self.is_bound:
            return default
        return self.data.get(f"{name}_{row.person_id}", "" if name != "amount" else default)


class PayrollImportForm(forms.Form):
    file = SheetFileField(label=_("工资代扣文件（.xlsx 或 .csv）"))
    paid_on = forms.DateField(label=_("扣款日期"), widget=DateInput, help_text=_("工资发放（代扣）的日期"))
    dry_run = forms.BooleanField(label=_("仅预检，不写入"), required=False, initial=True)

    def clean_paid_on(self):
        value = self.cleaned_data["paid_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("扣款日期不能晚于今天"))
        return value
