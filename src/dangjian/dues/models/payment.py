from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy, ScopedSoftDeleteQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel

from ..rule_data import DUES_RULES
from .account import DuesAccount


class PaymentKind(models.TextChoices):
    REGULAR = "regular", _("按月交纳")
    VOLUNTARY = "voluntary", _("自愿多交")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("现金")
    TRANSFER = "transfer", _("银行转账")
    ONLINE = "online", _("网上交纳")
    PAYROLL = "payroll", _("工资代扣")
    OTHER = "other", _("其他")


class PaymentManager(AliveManager.from_queryset(ScopedSoftDeleteQuerySet)):  # type: ignore[misc]
    pass


class DuesPayment(SoftDeleteModel):
    """A payment. A regular one covers months ``month_from``..``month_to``; its amount is spread evenly over them.

    A wrong payment is voided (soft delete with a reason) and entered again: nothing is ever erased.
    """

    account = models.ForeignKey(DuesAccount, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("类型"), max_length=10, choices=PaymentKind.choices, default=PaymentKind.REGULAR)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    month_from = models.DateField(_("起始月份"))
    month_to = models.DateField(_("截止月份"))
    method = models.CharField(_("交纳方式"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.CASH)
    receipt_number = models.CharField(_("收据编号"), max_length=40, blank=True)
    paid_on = models.DateField(_("交纳日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = PaymentManager()
    all_objects = models.Manager.from_queryset(ScopedSoftDeleteQuerySet)()
    scoped_by = ScopedBy("dues.view", person="account__person", reach=Reach.CURRENT_MEMBERS)

    class Meta:
        verbose_name = _("党费交纳记录")
        verbose_name_plural = _("党费交纳记录")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="dues_payment_positive"),
            models.CheckConstraint(condition=Q(month_to__gte=models.F("month_from")), name="dues_payment_months"),
        ]
        indexes = [models.Index(fields=["account", "month_to"]), models.Index(fields=["month_from", "month_to"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}元（{self.month_from:%Y-%m}—{self.month_to:%Y-%m}）"

    @property
    def to_centre(self) -> bool:
        """A single voluntary payment of 1000 yuan or more goes entirely to the centre (全部上缴中央)."""
        return is_for_centre(self.kind, self.amount, self.paid_on)

    @property
    def months(self) -> int:
        return (self.month_to.year - self.month_from.year) * 12 + self.month_to.month - self.month_from.month + 1


def is_for_centre(kind: str, amount: Decimal, on) -> bool:
    threshold = DUES_RULES.value("dues.voluntary_central_threshold", on)
    return kind == PaymentKind.VOLUNTARY and amount >= threshold
