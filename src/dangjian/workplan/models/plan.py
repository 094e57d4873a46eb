"""The committee's yearly 党建工作要点 and each branch's plan derived from it (四同: 同谋划、同部署、同推进、同考核).

- 同谋划: a plan item names the business lines and key tasks it serves.
- 同部署 (四落实): it is deployed to organisations, each with a responsible person, a measure and a deadline.
- 同推进: each deployment is reported on quarterly, with evidence.
- 同考核: completion and on-time rates are facts the assessment scores.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel, SoftDeleteQuerySet, TimestampedModel

VIEW = "integration.view"


class PlanQuerySet(ScopedQuerySet, SoftDeleteQuerySet):
    """Scoped by each model's ``scoped_by`` declaration; deleted rows left out by the manager."""


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草拟中")
    PUBLISHED = "published", _("已印发")


class WorkPlan(SoftDeleteModel):
    """An organisation's plan for a year: the committee's 工作要点, or a branch's own plan derived from it."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="work_plans", verbose_name=_("党组织")
    )
    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived",
        verbose_name=_("上级工作要点"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    published_on = models.DateField(_("印发日期"), null=True, blank=True)
    doc_no = models.CharField(_("文号"), max_length=60, blank=True)
    summary = models.TextField(_("年度工作总结"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AliveManager.from_queryset(PlanQuerySet)()
    scoped_by = ScopedBy(VIEW, organization="organization")

    class Meta:
        verbose_name = _("年度工作计划")
        verbose_name_plural = _("年度工作计划")
        ordering = ["-year", "organization__path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=models.Q(deleted_at__isnull=True),
                name="workplan_one_plan_a_year",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PlanItem(SoftDeleteModel):
    """One point of the plan (同谋划: linked to the business lines and key tasks it serves)."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.PROTECT, related_name="items", verbose_name=_("计划"))
    order = models.PositiveIntegerField(_("序号"), default=0)
    category = models.CharField(_("类别"), max_length=60, blank=True)  # 政治建设, 组织建设, 融合发展…
    title = models.CharField(_("工作事项"), max_length=300)
    content = models.TextField(_("工作内容"), blank=True)
    lines = models.ManyToManyField(
        "integration.BusinessLine", blank=True, related_name="plan_items", verbose_name=_("服务主业")
    )
    projects = models.ManyToManyField(
        "integration.Project", blank=True, related_name="plan_items", verbose_name=_("服务重点任务")
    )
    source = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived",
        verbose_name=_("上级计划事项"),
    )

    objects = AliveManager.from_queryset(PlanQuerySet)()
    # a branch sees its own plan's items and the committee's items deployed to it
    scoped_by = ScopedBy(VIEW, organization=("plan__organization", "deployments__organization"))

    class Meta:
        verbose_name = _("计划事项")
        verbose_name_plural = _("计划事项")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class DeploymentStatus(models.TextChoices):
    OPEN = "open", _("推进中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class Deployment(SoftDeleteModel):
    """An item deployed to one organisation (同部署, 四落实: 责任人、措施、时限 and the unit itself)."""

    item = models.ForeignKey(PlanItem, on_delete=models.PROTECT, related_name="deployments", verbose_name=_("计划事项"))
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="plan_deployments", verbose_name=_("责任单位")
    )
    responsible = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="plan_deployments", verbose_name=_("责任人")
    )
    measure = models.TextField(_("工作措施"))
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=20, choices=DeploymentStatus.choices, default=DeploymentStatus.OPEN)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    deployed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AliveManager.from_queryset(PlanQuerySet)()
    scoped_by = ScopedBy(VIEW, organization="organization", own="responsible")

    class Meta:
        verbose_name = _("任务部署")
        verbose_name_plural = _("任务部署")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="workplan_deployment_due")]

    def __str__(self) -> str:
        return f"{self.item} · {self.organization}"


class ProgressReport(TimestampedModel):
    """A quarter's progress on a deployment (同推进), with evidence (``integration.CarrierEvidence``)."""

    deployment = models.ForeignKey(
        Deployment, on_delete=models.PROTECT, related_name="reports", verbose_name=_("任务部署")
    )
    year = models.PositiveIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    content = models.TextField(_("推进情况"))
    reported_on = models.DateField(_("报告日期"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("推进情况报告")
        verbose_name_plural = _("推进情况报告")
        ordering = ["deployment", "-year", "-quarter", "-reported_on", "pk"]
