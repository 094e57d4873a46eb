from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimestampedModel

from .rule import REGULATION_MARKS, Confidence


class SettingKey(models.TextChoices):
    MINUTES_DAYS = "minutes_days", _("会后完成会议记录的天数")
    DUE_SOON_DAYS = "due_soon_days", _("到期提醒天数")
    LATE_WINDOW_DAYS = "late_window_days", _("待办中保留逾期事项的天数")


# Defaults when no version is in force (a fresh database before the seed, or a gap).
DEFAULTS = {SettingKey.MINUTES_DAYS: 7, SettingKey.DUE_SOON_DAYS: 7, SettingKey.LATE_WINDOW_DAYS: 92}


class ComplianceSettingQuerySet(models.QuerySet):
    def in_force(self, on: date):
        return self.filter(Q(effective_from__lte=on), Q(effective_to__isnull=True) | Q(effective_to__gt=on))

    def values_on(self, on: date) -> dict[str, int]:
        """Every setting's value on a date (one query)."""
        found = {s.key: s.value for s in self.in_force(on)}
        return {str(k): found.get(k, v) for k, v in DEFAULTS.items()}


class ComplianceSetting(TimestampedModel):
    """A number the compliance engine uses that is not an obligation (deadlines, reminders), versioned like rules."""

    key = models.CharField(_("设置项"), max_length=30, choices=SettingKey.choices)
    version = models.PositiveIntegerField(_("版本"), default=1)
    value = models.PositiveIntegerField(_("数值（天）"))
    citation = models.CharField(_("依据"), max_length=200)
    confidence = models.CharField(_("可信度"), max_length=1, choices=Confidence.choices, default=Confidence.L)
    note = models.TextField(_("说明"), blank=True)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ComplianceSettingQuerySet.as_manager()

    class Meta:
        verbose_name = _("合规设置")
        verbose_name_plural = _("合规设置")
        ordering = ["key", "version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="compliance_setting_key_version"),
            models.UniqueConstraint(fields=["key", "effective_from"], name="compliance_setting_key_from"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="compliance_setting_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}：{self.value}天（第{self.version}版）"

    @property
    def is_regulation(self) -> bool:
        return self.confidence in REGULATION_MARKS

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)
