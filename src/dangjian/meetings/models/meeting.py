from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel, SoftDeleteQuerySet


class MeetingKind(models.TextChoices):
    MEMBERS_MEETING = "members_meeting", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支委会")
    GROUP_MEETING = "group_meeting", _("党小组会")
    LECTURE = "lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    LIFE_MEETING = "life_meeting", _("组织生活会")
    CENTRAL_GROUP_STUDY = "central_group_study", _("理论学习中心组学习")
    OTHER = "other", _("其他")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    HELD = "held", _("已召开")
    MINUTES_RECORDED = "minutes_recorded", _("已记录")
    LOCKED = "locked", _("已归档")
    CANCELLED = "cancelled", _("已取消")


# Kinds that may take a vote: a resolution needs at least half of those with a vote present (支部工作条例 art. 11);
# without a vote the meeting is held and minuted whatever the attendance.
VOTING_KINDS = {MeetingKind.MEMBERS_MEETING, MeetingKind.COMMITTEE_MEETING, MeetingKind.LIFE_MEETING}
# Kinds that may not be held at all below the quorum: 支部委员会会议须有半数以上委员到会方可进行 (art. 12).
QUORUM_KINDS = {MeetingKind.COMMITTEE_MEETING}
HELD_STATUSES = (MeetingStatus.HELD, MeetingStatus.MINUTES_RECORDED, MeetingStatus.LOCKED)


class MeetingQuerySet(ScopedQuerySet, SoftDeleteQuerySet):
    def held(self):
        return self.filter(status__in=HELD_STATUSES)


class MeetingManager(AliveManager.from_queryset(MeetingQuerySet)):  # type: ignore[misc]
    pass


def new_checkin_token() -> str:
    return secrets.token_urlsafe(24)


class Meeting(SoftDeleteModel):
    """One meeting of organisational life (三会一课 and the rest), from plan to locked record."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("党组织")
    )
    kind = models.CharField(_("类型"), max_length=30, choices=MeetingKind.choices)
    title = models.CharField(_("主题"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    host = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("主持人")
    )
    recorder = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    lecturer = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("授课人")
    )
    agenda = models.TextField(_("议程"), blank=True)
    study_materials = models.TextField(_("学习材料"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    minutes = models.TextField(_("会议记录"), blank=True)
    locked_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checkin_token = models.CharField(max_length=40, unique=True, default=new_checkin_token, editable=False)

    objects = MeetingManager()
    all_objects = models.Manager.from_queryset(MeetingQuerySet)()
    # A member sees the meetings they are expected at.
    scoped_by = ScopedBy("meetings.view", organization="organization", own="attendances__person")

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "kind", "starts_at"]),
            models.Index(fields=["starts_at"]),
            # A year of the whole tree's meetings read from the index alone (PostgreSQL: the other columns are
            # included), without visiting the wide rows: the compliance matrix and the facts count by these.
            models.Index(
                fields=["starts_at"],
                include=["id", "organization", "kind", "status"],
                condition=models.Q(deleted_at__isnull=True),
                name="meeting_window_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        # The Beijing date: a meeting at 07:20 on 2 December is stored as 23:20 UTC on 1 December.
        return f"{self.organization} {self.get_kind_display()} {timezone.localdate(self.starts_at):%Y-%m-%d}"

    @property
    def is_locked(self) -> bool:
        return self.status == MeetingStatus.LOCKED

    @property
    def needs_quorum(self) -> bool:
        """The meeting itself needs the quorum (the committee, art. 12), vote or not."""
        return self.kind in QUORUM_KINDS

    @property
    def may_vote(self) -> bool:
        return self.kind in VOTING_KINDS
