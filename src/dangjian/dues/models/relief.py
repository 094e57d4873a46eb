from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy, ScopedSoftDeleteQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel

from .account import DuesAccount


class ReliefKind(models.TextChoices):
    REDUCE = "reduce", _("少交")
    WAIVE = "waive", _("免交")


class ReliefStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class ReliefManager(AliveManager.from_queryset(ScopedSoftDeleteQuerySet)):  # type: ignore[misc]
    pass


class DuesRelief(SoftDeleteModel):
    """Reduced or waived dues for some months: the branch decides, the nearest 党委 above it approves
    (2008 规定 第七条: "经党支部研究，报上一级党委批准后").

    Only approved reliefs change what is owed.
    """

    account = models.ForeignKey(DuesAccount, on_delete=models.PROTECT, related_name="reliefs")
    branch = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("党支部")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ReliefKind.choices)
    month_from = models.DateField(_("起始月份"))
    month_to = models.DateField(_("截止月份"))
    monthly_amount = models.DecimalField(
        _("减免后每月应交（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    reason = models.TextField(_("理由（支部决定情况）"))
    status = models.CharField(_("状态"), max_length=10, choices=ReliefStatus.choices, default=ReliefStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    objects = ReliefManager()
    all_objects = models.Manager.from_queryset(ScopedSoftDeleteQuerySet)()
    scoped_by = ScopedBy("dues.view", person="account__person", reach=Reach.CURRENT_MEMBERS)

    class Meta:
        verbose_name = _("党费减免")
        verbose_name_plural = _("党费减免")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(month_to__gte=models.F("month_from")), name="dues_relief_months"),
            models.CheckConstraint(
                condition=Q(kind="waive") | Q(monthly_amount__isnull=False), name="dues_reduce_has_amount"
            ),
        ]
        indexes = [models.Index(fields=["account", "status", "month_to"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month_from:%Y-%m}—{self.month_to:%Y-%m}（{self.get_status_display()}）"
