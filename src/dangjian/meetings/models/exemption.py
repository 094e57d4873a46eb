"""不计入应到会人数: a member left out of those due to attend, with the upper organisation's approval.

Practice, not a central article (参考做法 S): organisation departments' guides on 三会一课 say that members
"因病长期请假、出国出境半年以上、被羁押、外出务工经商未转组织关系半年以上等原因不能参加组织生活的，经上级党组织批准，
可不计算在应到会人数内". The branch records who, why, for which meeting or period, and the approving decision; the
roster (``meetings.roster``) then lists the member as attending outside the count. Withdrawn, never deleted.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedSoftDeleteQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel


class ExemptionReason(models.TextChoices):
    # 参考做法 S: the cases the provincial guides list (see the module docstring and the rule
    # "roster.exemption_reasons" in ``meetings.roster_rules``); 其他 needs the upper approval too.
    LONG_ILLNESS = "long_illness", _("长期病休")
    ABROAD = "abroad", _("出国（境）半年以上")
    DETAINED = "detained", _("被羁押")
    WORKING_AWAY = "working_away", _("外出务工未转关系半年以上")
    OTHER = "other", _("其他")


def in_force_q(on: date, prefix: str = "") -> Q:
    """Exemptions for a period covering ``on`` (an open end runs on); per-meeting ones are matched by meeting."""
    p = prefix
    return Q(**{f"{p}meeting__isnull": True, f"{p}starts_on__lte": on}) & (
        Q(**{f"{p}ends_on__isnull": True}) | Q(**{f"{p}ends_on__gte": on})
    )


class ExemptionQuerySet(ScopedSoftDeleteQuerySet):
    def in_force(self, on: date):
        return self.filter(in_force_q(on))

    def ended(self, on: date):
        return self.filter(Q(meeting__isnull=True, ends_on__lt=on) | Q(meeting__starts_at__date__lt=on))

    def current(self, on: date):
        return self.exclude(Q(meeting__isnull=True, ends_on__lt=on) | Q(meeting__starts_at__date__lt=on))


class ExemptionManager(AliveManager.from_queryset(ExemptionQuerySet)):  # type: ignore[misc]
    pass


class AttendanceExemption(SoftDeleteModel):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="attendance_exemptions", verbose_name=_("党员")
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="attendance_exemptions", verbose_name=_("党支部")
    )
    reason = models.CharField(_("原因"), max_length=20, choices=ExemptionReason.choices)
    detail = models.CharField(_("情况说明"), max_length=200, blank=True)
    # Either one meeting, or a period from ``starts_on`` to ``ends_on`` (open: until withdrawn or ended).
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exemptions",
        verbose_name=_("会议"),
    )
    starts_on = models.DateField(_("起始日期"), null=True, blank=True)
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("批准的上级党组织")
    )
    approved_on = models.DateField(_("批准日期"))
    document_number = models.CharField(_("批准文号或依据"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    objects = ExemptionManager()
    all_objects = models.Manager.from_queryset(ExemptionQuerySet)()
    scoped_by = ScopedBy("meetings.view", organization="organization", own="person")

    class Meta:
        verbose_name = _("不计入应到会人数")
        verbose_name_plural = _("不计入应到会人数")
        ordering = ["-approved_on", "-id"]
        indexes = [models.Index(fields=["organization", "starts_on"]), models.Index(fields=["person", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, starts_on__isnull=True, ends_on__isnull=True)
                | Q(meeting__isnull=True, starts_on__isnull=False),
                name="exemption_meeting_or_period",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="exemption_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_reason_display()}"
