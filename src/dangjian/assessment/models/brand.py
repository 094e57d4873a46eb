"""一支部一特色 (``BranchBrand``): each branch's feature project, its yearly evidence and the committee's yearly review.

A branch has one current brand at a time; a new one replaces the old, which is kept (withdrawn, ``current`` off)
with its evidence and reviews, so a past year's recognition stays explainable. A recognised brand (认定) in a
year feeds the assessment's bonus indicators through the fact ``assessment.brand.recognised`` (``facts.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedQuerySet
from dangjian.core.models import TimestampedModel

# The branch's own records: whoever maintains the branch (its secretary, the office above) keeps its brand;
# whoever sees the branch sees its brand. The review is the committee office's act (``brands.REVIEW``).
BRAND_VIEW = "orgs.view"


class BrandStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RECOGNISED = "recognised", _("已认定")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤销")


class ReviewResult(models.TextChoices):
    RECOGNISED = "recognised", _("认定")
    NOT_RECOGNISED = "not_recognised", _("不予认定")


class BranchBrand(TimestampedModel):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="brands", verbose_name=_("党支部")
    )
    name = models.CharField(_("特色名称"), max_length=100)
    idea = models.TextField(_("特色理念"))
    measures = models.TextField(_("主要举措"))
    # Free text for now: the integration issue links a brand to business lines and projects later.
    business_link = models.TextField(_("与业务工作的结合"), blank=True)
    started_year = models.PositiveSmallIntegerField(_("创建年度"))
    status = models.CharField(_("状态"), max_length=20, choices=BrandStatus.choices, default=BrandStatus.DRAFT)
    # The branch's brand in force (one per branch); a replaced or withdrawn brand is kept with current off.
    current = models.BooleanField(_("当前特色"), default=True)
    remarks = models.TextField(_("审核意见"), blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("替代的特色")
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    recognised_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = models.Manager.from_queryset(ScopedQuerySet)()
    scoped_by = ScopedBy(BRAND_VIEW, organization="organization")

    class Meta:
        verbose_name = _("一支部一特色")
        verbose_name_plural = _("一支部一特色")
        ordering = ["organization__path", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(current=True), name="assessment_brand_one_current"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def editable(self) -> bool:
        """The branch edits a draft or a brand the committee returned; a submitted or recognised one is as reviewed."""
        return self.status in (BrandStatus.DRAFT, BrandStatus.RETURNED)


def brand_evidence_path(instance: BrandEvidence, filename: str) -> str:
    return f"assessment/brand/{instance.brand_id}/{filename}"


class BrandEvidence(TimestampedModel):
    """One piece of a year's evidence (佐证材料): a text, optionally a file. Withdrawn, never deleted."""

    brand = models.ForeignKey(BranchBrand, on_delete=models.PROTECT, related_name="evidence")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("说明"), blank=True)
    file = models.FileField(_("文件"), upload_to=brand_evidence_path, blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("大小"), default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = models.Manager.from_queryset(ScopedQuerySet)()
    scoped_by = ScopedBy(BRAND_VIEW, organization="brand__organization")

    class Meta:
        verbose_name = _("特色佐证材料")
        verbose_name_plural = _("特色佐证材料")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.title


class BrandReview(TimestampedModel):
    """The committee's yearly review of a brand (认定 / 不予认定, with remarks). The latest review of a year decides."""

    brand = models.ForeignKey(BranchBrand, on_delete=models.PROTECT, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("年度"))
    result = models.CharField(_("审核结果"), max_length=20, choices=ReviewResult.choices)
    remarks = models.TextField(_("审核意见"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = models.Manager.from_queryset(ScopedQuerySet)()
    scoped_by = ScopedBy(BRAND_VIEW, organization="brand__organization")

    class Meta:
        verbose_name = _("特色审核")
        verbose_name_plural = _("特色审核")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.brand} {self.year} {self.get_result_display()}"
