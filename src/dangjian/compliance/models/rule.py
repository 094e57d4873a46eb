from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimestampedModel
from dangjian.meetings.models import MeetingKind
from dangjian.orgs.models import OrgKind
from dangjian.rules.choices import CHOICES as CONFIDENCE_CHOICES
from dangjian.rules.confidence import Confidence, is_regulation

__all__ = ["Condition", "Confidence", "ObligationRule", "PeriodKind"]


class PeriodKind(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class Condition(models.TextChoices):
    NONE = "", _("无")
    HAS_COMMITTEE = "has_committee", _("仅设有委员会的组织")
    HAS_GROUPS = "has_groups", _("仅设有党小组的组织")


class ObligationRuleQuerySet(models.QuerySet):
    def in_force(self, on: date):
        return self.filter(Q(effective_from__lte=on), Q(effective_to__isnull=True) | Q(effective_to__gt=on))

    def overlapping(self, start: date, end: date):
        """Versions in force on at least one day of [start, end]."""
        return self.filter(Q(effective_from__lte=end), Q(effective_to__isnull=True) | Q(effective_to__gt=start))

    def latest_versions(self):
        return self.filter(effective_to__isnull=True)


class ObligationRule(TimestampedModel):
    """One version of an obligation of organisational life: "<org kind> holds <n> <meeting kind> per <period>".

    All versions of one obligation share ``code``; they never overlap, and a revision closes the old
    version (``effective_to``, exclusive, as in ``core.ruletable``) and starts a new one on the same day,
    so past periods keep being judged by the version in force then. A period is judged by the version in
    force on the period's **first day** (see ``compliance.engine``), so a mid-period revision applies from
    the next period on and no period is ever judged by two versions or by none.

    ``active=False`` is a version too: switching a local rule off (or seeding it off, RULES.md: L rules are
    configurable) is recorded with dates like any other change.
    """

    code = models.CharField(
        _("规则代码"),
        max_length=60,
        validators=[RegexValidator(r"^[a-z0-9_.-]+$", "规则代码只能由小写字母、数字和 ._- 组成")],
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("名称"), max_length=100)
    org_kind = models.CharField(_("适用组织"), max_length=20, choices=OrgKind.choices)
    condition = models.CharField(_("适用条件"), max_length=20, choices=Condition.choices, blank=True, default="")
    meeting_kind = models.CharField(_("会议类型"), max_length=30, choices=MeetingKind.choices)
    period = models.CharField(_("周期"), max_length=10, choices=PeriodKind.choices)
    required_count = models.PositiveSmallIntegerField(_("每周期次数"), default=1, validators=[MinValueValidator(1)])
    counts_group_meetings = models.BooleanField(
        _("党小组召开的也计入"),
        default=False,
        help_text=_("如组织生活会可以党小组会形式召开：下属党小组召开的同类会议计入本组织"),
    )
    citation = models.CharField(_("依据"), max_length=200)
    confidence = models.CharField(_("依据类别"), max_length=1, choices=CONFIDENCE_CHOICES)
    is_local = models.BooleanField(_("本单位设置"), default=False, editable=False)
    note = models.TextField(_("说明"), blank=True)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("当日起不再适用"))
    active = models.BooleanField(_("启用"), default=True)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("前一版本"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ObligationRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织生活规则")
        verbose_name_plural = _("组织生活规则")
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="obligation_rule_code_version"),
            models.UniqueConstraint(fields=["code", "effective_from"], name="obligation_rule_code_from"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="obligation_rule_dates_ordered",
            ),
            models.CheckConstraint(condition=Q(required_count__gte=1), name="obligation_rule_required_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    def save(self, *args, **kwargs):
        self.is_local = not is_regulation(self.confidence)
        super().save(*args, **kwargs)

    @property
    def is_regulation(self) -> bool:
        return is_regulation(self.confidence)

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    @property
    def requirement_text(self) -> str:
        times = f"{self.required_count}次" if self.required_count > 1 else "1次"
        return f"{self.get_period_display()}{times}"
