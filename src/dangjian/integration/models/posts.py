"""党员示范岗 (model posts) and 党员责任区 (responsibility zones) with their reviews and reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy
from dangjian.core.models import AliveManager, TimestampedModel

from .base import Attached, IntegrationQuerySet

VIEW = "integration.view"


class ModelPostKind(models.TextChoices):
    INDIVIDUAL = "individual", _("个人示范岗")
    COLLECTIVE = "collective", _("集体示范岗")


class ModelPostStatus(models.TextChoices):
    APPLIED = "applied", _("申请中")
    APPROVED = "approved", _("已授牌")
    REJECTED = "rejected", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤销")


class ModelPost(Attached):
    """A member's post, or a collective's, that the branch applies for and the committee approves (党员示范岗)."""

    kind = models.CharField(_("类型"), max_length=20, choices=ModelPostKind.choices, default=ModelPostKind.INDIVIDUAL)
    name = models.CharField(_("岗位名称"), max_length=200)
    holder = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="model_posts",
        verbose_name=_("岗位党员"),
    )
    collective = models.CharField(_("集体名称"), max_length=200, blank=True)
    duties = models.TextField(_("岗位职责"))
    commitment = models.TextField(_("承诺内容"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ModelPostStatus.choices, default=ModelPostStatus.APPLIED
    )
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("审批意见"), blank=True)
    plate_no = models.CharField(_("授牌编号"), max_length=60, blank=True)
    withdrawn_on = models.DateField(_("撤销日期"), null=True, blank=True)
    withdraw_reason = models.TextField(_("撤销原因"), blank=True)

    objects = AliveManager.from_queryset(IntegrationQuerySet)()
    scoped_by = ScopedBy(VIEW, organization="organization", own="holder")

    class Meta:
        verbose_name = _("党员示范岗")
        verbose_name_plural = _("党员示范岗")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return self.name


class ModelPostReview(TimestampedModel):
    """A term's review of a model post: a score; below the institute's threshold the post is withdrawn."""

    post = models.ForeignKey(ModelPost, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("示范岗"))
    year = models.PositiveIntegerField(_("年度"))
    score = models.DecimalField(_("评议得分"), max_digits=5, decimal_places=1)
    reviewed_on = models.DateField(_("评议日期"))
    comment = models.TextField(_("评议意见"), blank=True)
    kept = models.BooleanField(_("保留"), default=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("示范岗评议")
        verbose_name_plural = _("示范岗评议")
        ordering = ["post", "-year", "-reviewed_on", "pk"]
        indexes = [models.Index(fields=["year", "post"], name="integration_postreview_year")]


class ReportEvery(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")


class ResponsibilityZone(Attached):
    """A team or area a member answers for (党员责任区), with commitments and regular reports; publicised."""

    name = models.CharField(_("责任区名称"), max_length=200)
    member = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="responsibility_zones", verbose_name=_("责任党员")
    )
    area = models.TextField(_("责任范围"))
    commitments = models.TextField(_("承诺事项"))
    report_every = models.CharField(
        _("报告周期"), max_length=10, choices=ReportEvery.choices, default=ReportEvery.QUARTER
    )

    objects = AliveManager.from_queryset(IntegrationQuerySet)()
    scoped_by = ScopedBy(VIEW, organization="organization", own="member")

    class Meta:
        verbose_name = _("党员责任区")
        verbose_name_plural = _("党员责任区")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return self.name


class ZoneReport(TimestampedModel):
    zone = models.ForeignKey(
        ResponsibilityZone, on_delete=models.PROTECT, related_name="reports", verbose_name=_("责任区")
    )
    period = models.CharField(_("报告期"), max_length=10)  # "2026-03" (month) or "2026Q1" (quarter)
    reported_on = models.DateField(_("报告日期"))
    content = models.TextField(_("履责情况"))
    results = models.TextField(_("取得成效"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("责任区履责报告")
        verbose_name_plural = _("责任区履责报告")
        ordering = ["zone", "-reported_on", "pk"]
