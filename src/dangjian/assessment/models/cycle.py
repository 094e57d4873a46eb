"""An assessment cycle (考核周期): one run of a published indicator system over chosen units for a year or half-year.

A cycle keeps what it was run with: the system version (PROTECT; a published version is never edited), the units
with their kind at opening (a branch that later becomes a general branch is still ranked with the branches it was
assessed with), and snapshots of its automatic scores. A snapshot stores each auto leaf's value, inputs, score and
explanation as they were when it was taken, so a meeting recorded later does not change the cycle's results;
recomputing adds a new snapshot and keeps the old one for comparison.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CycleStatus(models.TextChoices):
    OPEN = "open", _("已开启")
    SELF_ASSESSMENT = "self_assessment", _("自评中")
    REVIEW = "review", _("审核中")
    SIGNED = "signed", _("已签批")
    PUBLISHED = "published", _("已公布")


class AssessmentCycle(models.Model):
    system = models.ForeignKey(
        "assessment.IndicatorSystem", on_delete=models.PROTECT, related_name="cycles", verbose_name=_("指标体系")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    # null: the whole year; 1 or 2: the first or second half
    half = models.PositiveSmallIntegerField(_("半年"), null=True, blank=True)
    title = models.CharField(_("名称"), max_length=200)
    units = models.ManyToManyField(
        "orgs.Organization", through="assessment.CycleUnit", related_name="+", verbose_name=_("考核对象")
    )
    self_deadline = models.DateField(_("自评截止日期"))
    review_deadline = models.DateField(_("审核截止日期"))
    status = models.CharField(_("状态"), max_length=20, choices=CycleStatus.choices, default=CycleStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("开启时间"), auto_now_add=True)
    # the last recomputation's background job (its progress is shown on the cycle's page)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # two reviewers of one item who differ by more than this leave it to the office to settle (ManualScore.disputed)
    settle_threshold = models.DecimalField(_("评分差异裁定阈值"), max_digits=5, decimal_places=2, default=2)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("签批时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    # units may object to an item until this day (inclusive) once the results are published
    objection_deadline = models.DateField(_("异议截止日期"), null=True, blank=True)
    # raised by every write that changes a result (a manual score, an occurrence, a band adjustment, a snapshot):
    # the ranking of thousands of units is kept per process for the version it was computed at (results.py)
    results_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")
        ordering = ["-year", "-half", "-pk"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def results_changed(cls, pk: int) -> None:
        """Call inside the transaction of any write that changes a cycle's totals, bands or ranks (results.py keeps
        the ranking per process for the version it was computed at)."""
        cls.objects.filter(pk=pk).update(results_version=models.F("results_version") + 1)

    @property
    def period_label(self) -> str:
        if self.half:
            return gettext("%(year)s年%(half)s") % {
                "year": self.year,
                "half": gettext("上半年") if self.half == 1 else gettext("下半年"),
            }
        return gettext("%(year)s年度") % {"year": self.year}


class CycleUnit(models.Model):
    """A unit assessed in a cycle, with its kind when the cycle opened (ranking within kind reads it)."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.PROTECT, related_name="cycle_units")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=20)

    class Meta:
        verbose_name = _("考核对象")
        verbose_name_plural = _("考核对象")
        constraints = [models.UniqueConstraint(fields=["cycle", "organization"], name="assessment_cycle_unit")]


class Snapshot(models.Model):
    """One computation of a cycle's automatic scores; exactly one per cycle is current (the results read it)."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.PROTECT, related_name="snapshots")
    number = models.PositiveIntegerField(_("序号"))
    taken_at = models.DateTimeField(_("计算时间"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    current = models.BooleanField(_("当前"), default=True)

    class Meta:
        verbose_name = _("计分快照")
        verbose_name_plural = _("计分快照")
        ordering = ["cycle", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="assessment_snapshot_number"),
            models.UniqueConstraint(
                fields=["cycle"], condition=models.Q(current=True), name="assessment_snapshot_one_current"
            ),
        ]

    def __str__(self) -> str:
        return gettext("第%(n)d次计算") % {"n": self.number}


class AutoScore(models.Model):
    """An auto leaf's score for one unit in one snapshot, with the value and inputs it was computed from."""

    # No index of their own: the unique (snapshot, unit, indicator) serves every read (a snapshot, one unit of
    # it), and four more indexes would each be written for every one of a group's 240,000 rows per snapshot.
    # Nor do unit, indicator and section carry a database constraint: checked at commit, they cost more than the
    # scores' computation (≈1 million look-ups per snapshot); compute writes only ids it has just read, and
    # organisations and indicators are never hard-deleted (PROTECT still guards a delete made through Django).
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="scores", db_index=False)
    unit = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    indicator = models.ForeignKey(
        "assessment.Indicator", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    # the leaf's 一级 indicator, so the per-section subtotals are one GROUP BY
    section = models.ForeignKey(
        "assessment.Indicator", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    value = models.DecimalField(_("数值"), max_digits=12, decimal_places=4, null=True, blank=True)
    inputs = models.JSONField(_("计算依据"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    explanation = models.TextField(_("说明"), blank=True)
    evidence_url = models.CharField(_("佐证链接"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("自动得分")
        verbose_name_plural = _("自动得分")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "unit", "indicator"], name="assessment_autoscore_unique")
        ]


class SectionScore(models.Model):
    """A unit's auto points under one 一级 indicator in a snapshot: the sums the results table and the ranking
    read, written with the scores so a page reads 6,000 × a few rows instead of summing 240,000."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="sections", db_index=False)
    unit = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    section = models.ForeignKey(
        "assessment.Indicator", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    points = models.DecimalField(_("得分"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("一级指标得分")
        verbose_name_plural = _("一级指标得分")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "unit", "section"], name="assessment_sectionscore_unique")
        ]
