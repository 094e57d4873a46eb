"""The office's band adjustment (定档调整) of a unit in a cycle.

Quotas (名额) cap how many units a band may hold; when more units reach a band than it may hold, the cycle cannot be
signed off until the office moves the excess down, each with its reason (issue 14 §2: "quotas enforced at
sign-off"). An adjustment only ever lowers a unit's band: it never touches the total or the rank, which show what
the unit earned. The latest active adjustment of a unit counts; one recorded by mistake is withdrawn with a reason,
never deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BandAdjustment(models.Model):
    cycle = models.ForeignKey(
        "assessment.AssessmentCycle",
        on_delete=models.PROTECT,
        related_name="band_adjustments",
        verbose_name=_("考核周期"),
    )
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    # a band name of the cycle's system (IndicatorSystem.bands), lower than the unit's computed band
    band = models.CharField(_("调整后等次"), max_length=50)
    reason = models.TextField(_("调整原因"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("调整时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回原因"), blank=True)

    class Meta:
        verbose_name = _("定档调整")
        verbose_name_plural = _("定档调整")
        ordering = ["cycle", "unit", "at", "pk"]
        indexes = [models.Index(fields=["cycle", "unit"], name="assessment_band_adjustment")]

    def __str__(self) -> str:
        return self.band
