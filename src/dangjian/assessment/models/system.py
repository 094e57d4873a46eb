"""An indicator system (指标体系): one version of the tree of weighted indicators the yearly assessment scores.

A system is versioned data: a published version is never edited. Changing a system in use makes a draft copy,
version n+1, that ``supersedes`` it; publishing the copy retires the version it replaces. An assessment cycle
keeps a foreign key to the version it was run with, so its scores stay explainable after the system changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimestampedModel


class AppliesTo(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    SECRETARY = "secretary", _("书记述职")


class SystemStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


class IndicatorSystem(TimestampedModel):
    name = models.CharField(_("名称"), max_length=100)
    applies_to = models.CharField(_("适用对象"), max_length=20, choices=AppliesTo.choices)
    valid_from = models.PositiveSmallIntegerField(_("起始年度"))
    valid_to = models.PositiveSmallIntegerField(_("截止年度"), null=True, blank=True)
    total_points = models.DecimalField(_("总分"), max_digits=7, decimal_places=2)
    # Bonus (加分项) may lift a unit above the total, by at most this much.
    bonus_cap = models.DecimalField(_("加分上限"), max_digits=7, decimal_places=2, default=0)
    # [[minimum, name], …] e.g. [[90, "好"], [80, "较好"], [70, "一般"], [0, "差"]] (scoring.grade)
    bands = models.JSONField(_("等次"), default=list)
    # {band name: largest share of units}, e.g. {"好": 0.3}: the top band ≤ 30 % of the units assessed
    quotas = models.JSONField(_("名额比例"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("上一版本"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=SystemStatus.choices, default=SystemStatus.DRAFT)
    note = models.TextField(_("说明"), blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    # null for a system installed from the console (the shipped default)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("指标体系")
        verbose_name_plural = _("指标体系")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="assessment_system_name_version"),
        ]

    def __str__(self) -> str:
        return gettext("%(name)s（第%(version)d版）") % {"name": self.name, "version": self.version}

    @property
    def editable(self) -> bool:
        """Only a draft changes; a published or retired version is kept as it was run."""
        return self.status == SystemStatus.DRAFT

    @property
    def years(self) -> str:
        return f"{self.valid_from}–{self.valid_to}" if self.valid_to else f"{self.valid_from}–"
