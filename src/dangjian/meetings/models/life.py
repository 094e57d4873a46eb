"""Talks, leaders' contact points and study hours: the rest of organisational life (RULES.md §1)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy, ScopedQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel, SoftDeleteQuerySet, TimestampedModel

from .meeting import MeetingKind


class LifeQuerySet(ScopedQuerySet, SoftDeleteQuerySet):
    pass


class Talk(SoftDeleteModel):
    """A heart-to-heart talk (谈心谈话), generally at least one a year for each member."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="talks", verbose_name=_("党支部")
    )
    talker = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="talks_given", verbose_name=_("谈话人")
    )
    talkee = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="talks_received", verbose_name=_("谈话对象")
    )
    held_on = models.DateField(_("谈话日期"))
    topics = models.TextField(_("谈话内容"))
    follow_up = models.TextField(_("后续跟进"), blank=True)
    follow_up_due = models.DateField(_("跟进期限"), null=True, blank=True)

    objects = AliveManager.from_queryset(LifeQuerySet)()
    # A member sees the talks they gave or received.
    scoped_by = ScopedBy("life.view", organization="organization", own=("talker", "talkee"))

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "held_on"]), models.Index(fields=["talkee", "held_on"])]
        constraints = [models.CheckConstraint(condition=~models.Q(talker=models.F("talkee")), name="talk_between_two")]

    def __str__(self) -> str:
        return f"{self.talker} → {self.talkee} {self.held_on}"


class ContactPoint(SoftDeleteModel):
    """A leader's assigned grassroots branch (党建联系点) for a span of years."""

    leader = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="contact_points", verbose_name=_("领导")
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="contact_points", verbose_name=_("联系党支部")
    )
    since = models.DateField(_("起始日期"))
    until = models.DateField(_("结束日期"), null=True, blank=True)

    objects = AliveManager.from_queryset(LifeQuerySet)()
    scoped_by = ScopedBy("life.view", organization="organization", own="leader")

    class Meta:
        verbose_name = _("党建联系点")
        verbose_name_plural = _("党建联系点")
        ordering = ["leader__name", "-since"]

    def __str__(self) -> str:
        return f"{self.leader} · {self.organization}"


class ContactVisit(TimestampedModel):
    contact_point = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("调研日期"))
    summary = models.TextField(_("调研情况"))
    issues = models.TextField(_("发现的问题与建议"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("联系点调研")
        verbose_name_plural = _("联系点调研")
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.contact_point} {self.visited_on}"


class HourRate(TimestampedModel):
    """Class hours credited for attending one meeting of a kind; the committee office sets them."""

    kind = models.CharField(_("会议类型"), max_length=30, choices=MeetingKind.choices, unique=True)
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=Decimal("2.0"))

    class Meta:
        verbose_name = _("学时标准")
        verbose_name_plural = _("学时标准")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.hours}"


class StudyRecord(SoftDeleteModel):
    """Study outside meetings (online courses, training classes) that counts toward the yearly hours."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="study_records")
    studied_on = models.DateField(_("学习日期"))
    title = models.CharField(_("学习内容"), max_length=200)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)

    objects = AliveManager.from_queryset(LifeQuerySet)()
    scoped_by = ScopedBy("life.view", person="person", reach=Reach.MEMBERS_AND_STAFF)

    class Meta:
        verbose_name = _("学习记录")
        verbose_name_plural = _("学习记录")
        ordering = ["-studied_on"]
        indexes = [models.Index(fields=["person", "studied_on"])]

    def __str__(self) -> str:
        return f"{self.person} {self.title}"
