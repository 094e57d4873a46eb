from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedSoftDeleteQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel


class MembershipStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


def current_q() -> Q:
    """Memberships not ended (and not withdrawn as recorded by mistake)."""
    return Q(ended_on__isnull=True, deleted_at__isnull=True)


class MembershipQuerySet(ScopedSoftDeleteQuerySet):
    def current(self):
        return self.filter(current_q())


class MembershipManager(AliveManager.from_queryset(MembershipQuerySet)):  # type: ignore[misc]
    pass


class Membership(SoftDeleteModel):
    """A person's membership in one branch for a span of time.

    Moving between branches ends one row and starts another, so a person's
    whole path stays visible.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="memberships", verbose_name="党支部"
    )
    group = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_memberships",
        verbose_name="党小组",
    )
    status = models.CharField("党员类别", max_length=20, choices=MembershipStatus.choices)
    applied_on = models.DateField("申请入党日期", null=True, blank=True)
    admitted_on = models.DateField("入党日期", null=True, blank=True)
    converted_on = models.DateField("转正日期", null=True, blank=True)
    party_post = models.CharField("党内职务", max_length=50, blank=True)
    started_on = models.DateField("转入本支部日期")
    ended_on = models.DateField("转出日期", null=True, blank=True)
    end_reason = models.CharField("转出原因", max_length=100, blank=True)
    # 留党察看 (党章 第40条; 纪律处分条例 第8、10条): the member keeps full status but has no voting, election
    # or sponsoring rights until restored; 发展党员工作细则 第14条 bars such a member from being a sponsor.
    discipline_probation_from = models.DateField("留党察看起始日期", null=True, blank=True)
    discipline_probation_until = models.DateField(
        "留党察看期满日期", null=True, blank=True, help_text="恢复党员权利之日；空表示尚未恢复"
    )

    objects = MembershipManager()
    all_objects = models.Manager.from_queryset(MembershipQuerySet)()
    scoped_by = ScopedBy("people.view", organization="organization", own="person")

    class Meta:
        verbose_name = "党员组织关系"
        verbose_name_plural = "党员组织关系"
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "ended_on"]),
            models.Index(fields=["person", "ended_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True, deleted_at__isnull=True),
                name="one_current_membership_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organization}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def under_discipline_probation(self, on) -> bool:
        """留党察看 on ``on``: from its start until the day rights are restored (that day is free again)."""
        if self.discipline_probation_from is None or self.discipline_probation_from > on:
            return False
        return self.discipline_probation_until is None or on < self.discipline_probation_until
