"""What 抓两头促中间 records from a signed cycle (issue 14 §3): the titles the committee grants to the top units
(先进党支部 / 标杆党支部), the 约谈 held with a 后进 unit, and each unit's yearly 星级党支部 rating.

Nothing here is deleted: a title granted by mistake is withdrawn with its reason; a rating made again for the same
year (after a recomputed cycle) replaces the current one, which is kept (``current=False``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TitleKind(models.TextChoices):
    ADVANCED = "advanced_branch", _("先进党支部")
    BENCHMARK = "benchmark_branch", _("标杆党支部")


class Title(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="titles", verbose_name=_("党组织")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("称号"), max_length=20, choices=TitleKind.choices)
    cycle = models.ForeignKey(
        "assessment.AssessmentCycle", on_delete=models.PROTECT, related_name="titles", verbose_name=_("考核周期")
    )
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("授予时间"))
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("党支部称号")
        verbose_name_plural = _("党支部称号")
        ordering = ["-year", "organization_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "kind"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="assessment_title_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}"


class Interview(models.Model):
    """约谈: the committee talks to a 后进 unit's leaders about its result (《中国共产党党内监督条例》第十九条)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="interviews", verbose_name=_("约谈单位")
    )
    cycle = models.ForeignKey(
        "assessment.AssessmentCycle", on_delete=models.PROTECT, related_name="interviews", verbose_name=_("考核周期")
    )
    held_on = models.DateField(_("约谈日期"))
    attendees = models.TextField(_("参加人员"))
    notes = models.TextField(_("约谈内容"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("约谈")
        verbose_name_plural = _("约谈")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d}"


class StarRating(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="star_ratings", verbose_name=_("党组织")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    stars = models.PositiveSmallIntegerField(_("星级"))
    total = models.DecimalField(_("考核总分"), max_digits=7, decimal_places=2)
    # the unit's current rating of the year before, when it had one (the page shows ↑ / ↓)
    previous_stars = models.PositiveSmallIntegerField(_("上年星级"), null=True, blank=True)
    cycle = models.ForeignKey(
        "assessment.AssessmentCycle", on_delete=models.PROTECT, related_name="star_ratings", verbose_name=_("考核周期")
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("评定时间"))
    current = models.BooleanField(_("当前"), default=True)

    class Meta:
        verbose_name = _("星级党支部")
        verbose_name_plural = _("星级党支部")
        ordering = ["-year", "organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], condition=models.Q(current=True), name="assessment_star_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.stars}★"

    @property
    def movement(self) -> str:
        from ..stars import movement

        return movement(self.stars, self.previous_stars)
