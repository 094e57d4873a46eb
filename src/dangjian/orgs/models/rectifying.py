"""软弱涣散 整顿: a weak organisation under rectification carries that status until the committee lifts it.

One row per period of rectification, so the history stays (when, why, who set it, who lifted it and why); an
organisation has at most one open period. Set and lifted by the committee office
(the office power ``assessment.manage``, ``orgs.rectifying``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RectifyingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(lifted_on__isnull=True)


class Rectifying(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="rectifying_periods", verbose_name="党组织"
    )
    started_on = models.DateField("列入整顿日期")
    reason = models.TextField("列入原因")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField("记录时间", auto_now_add=True)
    lifted_on = models.DateField("摘帽日期", null=True, blank=True)
    lifted_reason = models.TextField("摘帽理由", blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RectifyingQuerySet.as_manager()

    class Meta:
        verbose_name = "软弱涣散整顿"
        verbose_name_plural = "软弱涣散整顿"
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=models.Q(lifted_on__isnull=True), name="orgs_rectifying_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.started_on:%Y-%m-%d}"
