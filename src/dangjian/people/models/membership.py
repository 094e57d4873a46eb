from __future__ import annotations

from datetime import date

from django.apps import apps
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedSoftDeleteQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel


class MembershipStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class StartCause(models.TextChoices):
    """Why a membership began: the in-party statistics count the year's increases by it (党员增加: 发展, 转入,
    恢复党籍); a move between branches of the same tree is neither an increase nor a decrease of the tree."""

    ADMITTED = "admitted", _("发展党员（接收预备党员）")
    TRANSFERRED_IN = "transferred_in", _("组织关系转入")
    RESTORED = "restored", _("恢复党籍")
    MOVED = "moved", _("本系统内调整")
    RECORDED = "recorded", _("初始录入")


class EndCause(models.TextChoices):
    """Why a membership ended: the statistics count the year's decreases by it (党员减少: 死亡, 出党 — 开除党籍,
    除名, 退党, 取消预备党员资格 —, 转出, 停止党籍). ``end_reason`` keeps the words; this is the code."""

    MOVED = "moved", _("本系统内调整")
    TRANSFERRED_OUT = "transferred_out", _("组织关系转出")
    DIED = "died", _("死亡")
    REMOVED = "removed", _("除名")
    EXPELLED = "expelled", _("开除党籍")
    LEFT = "left", _("退党")
    CANCELLED = "cancelled", _("取消预备党员资格")
    SUSPENDED = "suspended", _("停止党籍")
    ERROR = "error", _("录入有误（人员删除）")


# The end reason of a membership ended by a 停止党籍 decision (党员教育管理工作条例（2019）第24条): the member is
# off the branch's rolls from that day; the restore decision (恢复党籍) finds the membership to reopen by it.
RIGHTS_STOPPED_REASON = "停止党籍（失联）"


def current_q() -> Q:
    """Memberships not ended (and not withdrawn as recorded by mistake)."""
    return Q(ended_on__isnull=True, deleted_at__isnull=True)


def on_rolls_q(*statuses: str, person: str = "pk") -> Q:
    """Persons on a branch's rolls today — a current membership, of one of ``statuses`` if given — with
    ``person`` naming the person's id. What "党员" means wherever members are counted or listed (the home page's
    正式党员/预备党员, the people list's status filter, ``dangjian demo``'s summary): not the political-status field,
    which a 停止党籍 decision or a transfer out of the tree leaves as it was."""
    rows = Membership.objects.current()
    if statuses:
        rows = rows.filter(status__in=statuses)
    return Q(**{f"{person}__in": rows.values("person_id")})


def _stopped_cases(on: date, person: str, until: date | None = None):
    """Lost-contact cases of the person in ``person`` whose 停止党籍 decision is in force on ``on``.

    党员教育管理工作条例（2019）第24条: a member lost for 6 months is 停止党籍 — no longer on the branch's rolls, no
    dues, not counted — until a restoring decision (恢复党籍) or removal (除名, which ends the membership itself).
    The decision day is ``LostContact.suspended_on`` (``transfers.lost.decide``), and the decision ends the
    current membership that day (``RIGHTS_STOPPED_REASON``), so current-membership queries leave the member out
    by themselves; this test remains for what a membership row alone cannot tell: a past day or span (the
    restored member's new membership covers neither the stop nor the months before it). A restore decision taken
    after the stop ends it, so a past day is judged by the decisions then in force. With ``until``: stopped on any day
    from ``on`` to ``until``. Read through the app registry: the cases belong to ``transfers``, which depends on
    this app, not the other way round.
    """
    case = apps.get_model("transfers", "LostContact")
    decision = apps.get_model("transfers", "Decision")
    restored = decision.objects.filter(
        case=OuterRef("pk"), kind="restore", decided_on__gte=OuterRef("suspended_on"), decided_on__lte=on
    )
    stopped = case.objects.filter(person_id=OuterRef(person), suspended_on__lte=until or on)
    return stopped.filter(~Exists(restored))


def rights_stopped(on: date | None = None, person: str = "person_id", *, until: date | None = None) -> Exists:
    """True where the person's party rights are stopped (停止党籍) on ``on`` (today by default), or on any day
    from ``on`` to ``until``: one EXISTS."""
    return Exists(_stopped_cases(on or timezone.localdate(), person, until))


def rights_stopped_from(person: str = "person_id") -> Subquery:
    """The day the person's current or latest 停止党籍 took effect (None when never stopped): for month lists
    that judge many days at once (``dues.ledger``); pair it with ``rights_restored_on``."""
    case = apps.get_model("transfers", "LostContact")
    rows = case.objects.filter(person_id=OuterRef(person), suspended_on__isnull=False)
    return Subquery(rows.values("suspended_on")[:1])


def rights_restored_on(person: str = "person_id") -> Subquery:
    """The restore decision (恢复党籍) that ended the stop returned by ``rights_stopped_from``, if any."""
    decision = apps.get_model("transfers", "Decision")
    rows = decision.objects.filter(
        case__person_id=OuterRef(person), kind="restore", decided_on__gte=F("case__suspended_on")
    ).order_by("decided_on")
    return Subquery(rows.values("decided_on")[:1])


class MembershipQuerySet(ScopedSoftDeleteQuerySet):
    def current(self):
        return self.filter(current_q())

    def without_rights_stopped(self, on: date | None = None):
        """Leaves out members whose party rights are stopped (停止党籍) on ``on``: they are off meeting rosters
        (应到会), dues lists and member counts from the day of the decision (see ``rights_stopped``). For today
        ``current()`` already does it (the decision ends the membership); kept for a past ``on``."""
        return self.filter(~rights_stopped(on))


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
    start_cause = models.CharField(_("增加原因"), max_length=20, choices=StartCause.choices, blank=True, default="")
    end_cause = models.CharField(_("减少原因"), max_length=20, choices=EndCause.choices, blank=True, default="")
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
            # the statistics' reuse marker reads MAX(updated_at) on every request (stats.reuse.marker)
            models.Index(fields=["updated_at"], name="people_membership_updated"),
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
