"""An occurrence (发生情况) on a deduction, bonus or veto leaf: 通报批评, 上级表彰, 严重违纪….

Recorded by the office with its reason and (optionally) its evidence; never deleted: a mistaken one is withdrawn
with a reason and stops counting, so the results can always be traced back to what was recorded and when.
``points`` is signed as it acts on the total: negative for a deduction, positive for a bonus, 0 for a veto.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Occurrence(models.Model):
    cycle = models.ForeignKey(
        "assessment.AssessmentCycle", on_delete=models.PROTECT, related_name="occurrences", verbose_name=_("考核周期")
    )
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    indicator = models.ForeignKey(
        "assessment.Indicator", on_delete=models.PROTECT, related_name="+", verbose_name=_("指标")
    )
    points = models.DecimalField(_("分值"), max_digits=7, decimal_places=2, default=0)
    reason = models.TextField(_("事由"))
    evidence = models.FileField(_("佐证材料"), upload_to="assessment/occurrences/%Y/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤销原因"), blank=True)

    class Meta:
        verbose_name = _("发生情况")
        verbose_name_plural = _("发生情况")
        ordering = ["cycle", "unit", "recorded_at", "pk"]

    def __str__(self) -> str:
        return self.reason[:50]
