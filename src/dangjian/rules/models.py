"""The rule store: one row per version of a rule the institute may set, for everything or for one subtree.

Versions of one rule (``key``) at one place (``organization``, null for the whole institute) never overlap: a
revision closes the version in force (``effective_to``, exclusive) and starts the next one on that day, so past
periods keep being judged by the version in force then. A version for an organisation overrides, for its
subtree, the version of any ancestor (the nearest wins). Rows are never deleted.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimestampedModel

from .choices import CHOICES
from .confidence import Confidence


class RuleVersionQuerySet(models.QuerySet):
    def in_force(self, on: date):
        return self.filter(Q(effective_from__lte=on), Q(effective_to__isnull=True) | Q(effective_to__gt=on))


class RuleVersion(TimestampedModel):
    key = models.CharField(_("规则"), max_length=100, db_index=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("适用组织"),
        help_text=_("空：全单位适用；填写：只对该组织及其下级组织适用"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    value = models.JSONField(_("数值"))
    citation = models.CharField(_("依据"), max_length=200)
    confidence = models.CharField(_("依据类别"), max_length=1, choices=CHOICES, default=Confidence.L)
    note = models.TextField(_("说明"), blank=True)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("当日起不再适用"))
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
    # The row this version was moved from ("<app.model>:<id>"), so the audit entries written before the move
    # (which name that row) stay findable from the version.
    origin = models.CharField(_("迁移自"), max_length=60, blank=True, editable=False)

    objects = RuleVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("规则版本")
        verbose_name_plural = _("规则版本")
        ordering = ["key", "organization_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version"], condition=Q(organization__isnull=True), name="rule_version_key_version"
            ),
            models.UniqueConstraint(
                fields=["key", "organization", "version"],
                condition=Q(organization__isnull=False),
                name="rule_version_key_org_version",
            ),
            models.UniqueConstraint(
                fields=["key", "effective_from"], condition=Q(organization__isnull=True), name="rule_version_key_from"
            ),
            models.UniqueConstraint(
                fields=["key", "organization", "effective_from"],
                condition=Q(organization__isnull=False),
                name="rule_version_key_org_from",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=models.F("effective_from")),
                name="rule_version_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}（第{self.version}版）"

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)
