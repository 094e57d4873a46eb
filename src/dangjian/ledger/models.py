"""The ledger's own records: the year's summary text the secretary writes (年度工作总结), and each run that
assembled a ledger (one organisation's, or a committee's every branch) with the files it produced.

The files are kept in the default storage (``var/media`` locally, the shared bucket in a deployment), never under a
public URL: the run's page serves them after a scope check, and each download is audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedQuerySet


class YearSummary(models.Model):
    """The secretary's text for the 年度工作总结 of an organisation and year; placeholders such as {党员人数} are
    filled with the year's figures when the ledger prints it. Each change is audited with the old and new text."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("党组织")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    text = models.TextField(_("总结正文"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("最后修改人"),
    )
    updated_at = models.DateTimeField(_("最后修改时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scoped_by = ScopedBy("ledger.view", organization="organization")

    class Meta:
        verbose_name = _("年度工作总结")
        verbose_name_plural = _("年度工作总结")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="ledger_one_summary_a_year")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年度工作总结"


class RunKind(models.TextChoices):
    ORGANIZATION = "organization", _("本组织台账")
    COMMITTEE = "committee", _("所属各支部台账")


class LedgerRun(models.Model):
    """One assembly of ledgers, run as a background job (``dangjian.jobs``): its progress is the job's."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("党组织")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=20, choices=RunKind.choices, default=RunKind.ORGANIZATION)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    job = models.OneToOneField("jobs.Job", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # the files' names in the default storage ("" until made)
    docx = models.CharField(max_length=300, blank=True)
    pdf = models.CharField(max_length=300, blank=True)
    zip = models.CharField(max_length=300, blank=True)
    branches = models.PositiveIntegerField(_("支部数"), default=0)
    pdf_error = models.CharField(_("PDF 未生成原因"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scoped_by = ScopedBy("ledger.view", organization="organization")

    class Meta:
        verbose_name = _("台账生成记录")
        verbose_name_plural = _("台账生成记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "year", "-created_at"], name="ledger_run_org_year")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年度台账（{self.get_kind_display()}）"
