"""A transfer of the organisational relationship (组织关系转接) and its history.

党员教育管理工作条例（2019）第25条: until the receiving organisation accepts, the member stays in the old
branch's roster, so a transfer never touches the membership before ``received``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedSoftDeleteQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel, TimestampedModel
from dangjian.people.models import MembershipStatus


class Direction(models.TextChoices):
    INSIDE = "inside", _("系统内转接")
    OUT = "out", _("转出至系统外")
    IN = "in", _("从系统外转入")


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("待发出")
    SENT = "sent", _("已发出，待接收")
    RECEIVED = "received", _("已接收")
    REJECTED = "rejected", _("被拒收/退回")
    CANCELLED = "cancelled", _("已撤销")
    EXPIRED = "expired", _("介绍信已过期")


OPEN_STATUSES = (TransferStatus.REQUESTED, TransferStatus.SENT)


class TransferQuerySet(ScopedSoftDeleteQuerySet):
    pass


class TransferManager(AliveManager.from_queryset(TransferQuerySet)):  # type: ignore[misc]
    pass


class Transfer(SoftDeleteModel):
    direction = models.CharField(_("类型"), max_length=10, choices=Direction.choices)
    status = models.CharField(_("状态"), max_length=12, choices=TransferStatus.choices)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    # The member's particulars as written on the letter (an incoming member has no Person row until accepted).
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, blank=True)
    id_number = models.CharField(_("公民身份号码"), max_length=18)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    member_status = models.CharField(_("党员类别"), max_length=20, choices=MembershipStatus.choices)
    admitted_on = models.DateField(_("入党日期"), null=True, blank=True)
    converted_on = models.DateField(_("转正日期"), null=True, blank=True)
    from_org = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_out"
    )
    from_name = models.CharField(_("转出党组织"), max_length=100)
    to_org = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_in"
    )
    to_name = models.CharField(_("转入党组织"), max_length=100)
    department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )
    reason = models.CharField(_("转接原因"), max_length=200)
    requested_on = models.DateField(_("申请日期"))
    letter_year = models.PositiveSmallIntegerField(_("介绍信年度"), null=True, blank=True)
    letter_seq = models.PositiveIntegerField(_("介绍信序号"), null=True, blank=True)
    letter_ref = models.CharField(_("来函介绍信编号"), max_length=50, blank=True)
    sent_on = models.DateField(_("开具/发出日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    dues_paid_to = models.DateField(_("党费交至"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    close_reason = models.TextField(_("拒收/撤销原因"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = TransferManager()
    all_objects = models.Manager.from_queryset(TransferQuerySet)()
    # Both sides see a transfer: the sending branch's subtree and the receiving branch's subtree.
    scoped_by = ScopedBy("transfers.view", organization=("from_org", "to_org"))

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["status", "direction"]), models.Index(fields=["requested_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["letter_year", "letter_seq"],
                condition=Q(letter_seq__isnull=False),
                name="transfer_letter_number_unique_per_year",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["requested", "sent"], person__isnull=False, deleted_at__isnull=True),
                name="one_open_transfer_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}：{self.from_name} → {self.to_name}"

    @property
    def letter_number(self) -> str:
        if self.letter_seq is None:
            return self.letter_ref
        return f"〔{self.letter_year}〕第{self.letter_seq:04d}号"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TransferEvent(models.Model):
    """One state change, kept for the transfer's history page."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(_("原状态"), max_length=12, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=TransferStatus.choices)
    on = models.DateField(_("日期"))
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("转接记录")
        verbose_name_plural = _("转接记录")
        ordering = ["at", "id"]

    @property
    def from_label(self) -> str:
        return TransferStatus(self.from_status).label if self.from_status else ""


class LetterCounter(TimestampedModel):
    """The last letter number issued in a year: 〔2026〕第0001号 starts again at 1 each year."""

    year = models.PositiveSmallIntegerField(_("年度"), primary_key=True)
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("介绍信编号")
        verbose_name_plural = _("介绍信编号")
