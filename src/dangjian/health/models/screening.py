"""A screening run and the result it gives each person (HEALTH_MODELS.md; the seed article §3(5)).

A run scores, for one year, everyone in the runner's scope with active consent and a checkup. Its results replace
that year's earlier results for the same people: there is one current ``ScreeningResult`` per person per year,
pointing at the run that produced it; the runs themselves are kept with their counts (and audited).

What is stored plain and why: the measured checkup values stay encrypted in ``Checkup`` (the questionnaire answers
and the FIT result included: the follow-up page recomputes the questionnaire flag from them); a result keeps only
the derived scores, categories, the colonoscopy-referral flag and the names (never the values) of missing
inputs, so that SQL can order the follow-up queue by CVD risk and count categories for leaders' aggregates without
decrypting 150,000 rows. Results are read through the same scope rules as checkups (health officers only, PIPL
art. 28); leaders get counts over groups of at least five people (``aggregates.py``). Withdrawing consent
deletes the person's result of that year (``services.withdraw_consent``).
"""

from __future__ import annotations

import math

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy, ScopedQuerySet


class RunStatus(models.TextChoices):
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ScreeningRun(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    scope_label = models.CharField(_("范围"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # {"people": n, "cvd": n, "gastric": n, "apcs": n, "crc_questionnaire": n, "follow_up": n,
    #  "missing": {model: {field: n}}, "not_applicable": {model: n}} — counts only, no values.
    counts = models.JSONField(_("统计"), default=dict)
    error = models.TextField(_("错误"), blank=True)
    # The background job running it: its progress, attempts and heartbeat (dangjian.jobs).
    job = models.OneToOneField("jobs.Job", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("筛查批次")
        verbose_name_plural = _("筛查批次")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year}年度筛查 #{self.pk}"


class Category(models.TextChoices):
    LOW = "low", _("低危")
    MEDIUM = "medium", _("中危")
    HIGH = "high", _("高危")


class ApcsCategory(models.TextChoices):
    AVERAGE = "average", _("一般风险")
    MODERATE = "moderate", _("中等风险")
    HIGH = "high", _("高风险")


# Highest CVD risk first and the unscored (null) last, as an expression both databases can index
# (SQLite cannot index NULLS LAST); the queue orders by exactly this expression.
CVD_ORDER = Coalesce(F("cvd_percent"), Value(-1.0))


class ScreeningResultQuerySet(ScopedQuerySet):
    pass


class ScreeningResult(models.Model):
    # Results are derived data, replaced wholesale by each run (150,000 rows in one COPY). The database-level
    # foreign-key checks alone cost ~1.2 s per 150,000 rows at commit, a quarter of the run's 5 s budget, so they
    # are left to the ORM: runs and people are never hard-deleted (PROTECT still guards deletes made through
    # Django), and the person index is the unique (person, year) one.
    run = models.ForeignKey(ScreeningRun, on_delete=models.PROTECT, related_name="results", db_constraint=False)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="health_results",
        verbose_name=_("人员"),
        db_constraint=False,
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    age = models.PositiveSmallIntegerField(_("年龄"))
    # China-PAR 10-year ASCVD risk, percent (not rounded); null when an input is missing or out of range.
    cvd_percent = models.FloatField(_("10年心血管病风险（%）"), null=True)
    cvd_category = models.CharField(_("心血管病风险"), max_length=8, choices=Category.choices, blank=True)
    cvd_outside_derivation = models.BooleanField(_("年龄超出模型推导范围"), default=False)
    gastric_points = models.PositiveSmallIntegerField(_("胃癌筛查评分"), null=True)
    gastric_category = models.CharField(_("胃癌风险"), max_length=8, choices=Category.choices, blank=True)
    apcs_points = models.PositiveSmallIntegerField(_("APCS评分"), null=True)
    apcs_category = models.CharField(_("结直肠癌风险（APCS）"), max_length=8, choices=ApcsCategory.choices, blank=True)
    # Colonoscopy referral (HEALTH_MODELS.md §3): questionnaire high risk or a positive FIT.
    colonoscopy_referral = models.BooleanField(_("建议肠镜"), default=False)
    # CVD medium/high, gastric medium/high, APCS high or a colonoscopy referral.
    follow_up_needed = models.BooleanField(_("需随访"), default=False)
    # {model: [field, …]} for each model that could not be scored; "gastric": ["age"] means under 40.
    missing = models.JSONField(_("缺少数据"), default=dict)

    objects = ScreeningResultQuerySet.as_manager()
    # PIPL art. 28: health values follow the person, seen by the health officers of their branch or department.
    scoped_by = ScopedBy("health.values", person="person", reach=Reach.MEMBERS_AND_STAFF)

    class Meta:
        verbose_name = _("筛查结果")
        verbose_name_plural = _("筛查结果")
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="health_one_result_per_person_year")]
        # The queue's order (highest risk first, unscored last): a page reads its 50 rows in index order.
        indexes = [models.Index(F("year"), CVD_ORDER.desc(), name="health_result_queue")]

    def __str__(self) -> str:
        return f"{self.person_id}·{self.year}"

    @property
    def cvd_percent_shown(self) -> float | None:
        """The percent to one decimal, rounded down so that the figure never contradicts its category: the
        category is judged on the unrounded value (HEALTH_MODELS.md §1), so 9.96 % is medium and shows 9.9."""
        if self.cvd_percent is None:
            return None
        return math.floor(self.cvd_percent * 10 + 1e-9) / 10
