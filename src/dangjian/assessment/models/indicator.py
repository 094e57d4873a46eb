"""An indicator (指标) of a system: a node of its tree; a leaf (评分项) carries the points and the scoring method.

The tree of one version is small (tens to a few hundred rows) and is always read whole — to show it, to validate
it, to score it — so a parent foreign key and a position among siblings are enough: one query loads the version
and the tree is assembled in memory (``..tree.build``). No materialised path is needed.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    AUTO = "auto", _("自动计分")
    MANUAL = "manual", _("人工评分")
    DEDUCTION = "deduction", _("扣分项")
    BONUS = "bonus", _("加分项")
    VETO = "veto", _("一票否决")


class Indicator(models.Model):
    system = models.ForeignKey(
        "assessment.IndicatorSystem", on_delete=models.PROTECT, related_name="indicators", verbose_name=_("指标体系")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级指标")
    )
    # the row's place in the whole tree read top to bottom (pre-order), so one ORDER BY gives the page's order
    position = models.PositiveIntegerField(_("顺序"), default=0)
    name = models.CharField(_("名称"), max_length=200)
    # a leaf's points; an inner node's are the sum of its leaves that count toward the total (kept for display)
    points = models.DecimalField(_("分值"), max_digits=7, decimal_places=2, default=0)
    description = models.TextField(_("评分说明"), blank=True)
    evidence = models.TextField(_("佐证材料"), blank=True)
    scoring_department = models.CharField(_("打分部门"), max_length=50, blank=True)
    citation = models.TextField(_("依据"), blank=True)
    # blank on an inner node
    method = models.CharField(_("评分方法"), max_length=20, choices=Method.choices, blank=True)
    # the method's parameters (scoring.validate_method), without the points
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # the registered fact an ``auto`` leaf reads (core.contributions.fact_definitions)
    fact_key = models.CharField(_("事实"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["system", "position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_leaf(self) -> bool:
        return bool(self.method)

    def scoring_method(self) -> dict[str, Any]:
        """The mapping ``scoring.score`` and ``scoring.validate_method`` read: the params with the leaf's points."""
        return {**(self.params or {}), "points": self.points}
