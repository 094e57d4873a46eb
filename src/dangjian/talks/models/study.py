"""Study hours (学习学时): hours credited per meeting kind attended, and study outside meetings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy
from dangjian.core.models import AliveManager, SoftDeleteModel, TimestampedModel
from dangjian.meetings.models import MeetingKind

from .base import TalksQuerySet


class HourRate(TimestampedModel):
    """Class hours credited for attending one meeting of a kind; the committee office sets them."""

    kind = models.CharField(_("会议类型"), max_length=30, choices=MeetingKind.choices, unique=True)
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=Decimal("2.0"))

    # the audit log kept the label of the meetings app for rows written before the move (talks 0001)
    audit_former_labels = ("meetings.hourrate",)

    class Meta:
        db_table = "meetings_hourrate"
        verbose_name = _("学时标准")
        verbose_name_plural = _("学时标准")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.hours}"


class StudyRecord(SoftDeleteModel):
    """Study outside meetings (online courses, training classes) that counts toward the yearly hours."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="study_records", verbose_name=_("党员")
    )
    studied_on = models.DateField(_("学习日期"))
    title = models.CharField(_("学习内容"), max_length=200)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)

    objects = AliveManager.from_queryset(TalksQuerySet)()
    scoped_by = ScopedBy("life.view", person="person", reach=Reach.MEMBERS_AND_STAFF)

    # the audit log kept the label of the meetings app for rows written before the move (talks 0001)
    audit_former_labels = ("meetings.studyrecord",)

    class Meta:
        db_table = "meetings_studyrecord"
        verbose_name = _("学习记录")
        verbose_name_plural = _("学习记录")
        ordering = ["-studied_on"]
        indexes = [models.Index(fields=["person", "studied_on"])]

    def __str__(self) -> str:
        return f"{self.person} {self.title}"

    def clean(self) -> None:
        """One record is one day's study (it has one date): its hours are more than 0 and at most the institute's
        ``study.max_hours_per_record`` (8, 一天按8学时计). The form, the service and the API all reach here."""
        super().clean()
        if self.hours is None:
            return
        if self.hours <= 0:
            raise ValidationError({"hours": _("学时应大于0")})
        limit = max_hours_per_record(self.studied_on)
        if limit is not None and self.hours > limit:
            raise ValidationError(
                {"hours": _("一条学习记录不能超过%(max)s学时（本单位设置）；多日的培训请按天分别登记") % {"max": limit}}
            )


def max_hours_per_record(on: date | None) -> Decimal | None:
    """The institute's bound on one study record on ``on`` (the rule store may replace the default); None before
    any version of the rule (no date, or before 2014)."""
    from dangjian.core.ruletable import NoRuleInForce
    from dangjian.rules import services as rule_store

    from ..rule_data import STUDY_MAX_HOURS, TALKS_RULES

    if on is None:
        return None
    try:
        return Decimal(rule_store.table(TALKS_RULES).value(STUDY_MAX_HOURS, on))
    except NoRuleInForce:
        return None
