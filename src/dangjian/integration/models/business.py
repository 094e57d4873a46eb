"""Business lines (四大主业), their process stages and the key tasks (重点任务) party work attaches to.

Not a project-management tool: only what party work needs to attach to (issue 15 §1).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy
from dangjian.core.models import AliveManager, SoftDeleteModel, TimestampedModel

from .base import IntegrationQuerySet

VIEW = "integration.view"


class BusinessLine(SoftDeleteModel):
    """One of the institute's main lines of business (四大主业), owned by a department."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="business_lines", verbose_name=_("所属党委")
    )
    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    department = models.ForeignKey(
        "orgs.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="business_lines",
        verbose_name=_("牵头部门"),
    )
    order = models.PositiveIntegerField(_("排序"), default=0)

    objects = AliveManager.from_queryset(IntegrationQuerySet)()
    scoped_by = ScopedBy(VIEW, organization="organization")

    class Meta:
        verbose_name = _("主业")
        verbose_name_plural = _("主业")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ProcessStage(SoftDeleteModel):
    """A stage of a business line's process (需求受理 → 方案 → 实施 → 交付 → 服务)."""

    line = models.ForeignKey(BusinessLine, on_delete=models.PROTECT, related_name="stages", verbose_name=_("主业"))
    name = models.CharField(_("环节"), max_length=100)
    order = models.PositiveIntegerField(_("排序"), default=0)
    department = models.ForeignKey(
        "orgs.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="process_stages",
        verbose_name=_("责任部门"),
    )

    objects = AliveManager.from_queryset(IntegrationQuerySet)()
    scoped_by = ScopedBy(VIEW, organization="line__organization")

    class Meta:
        verbose_name = _("业务流程环节")
        verbose_name_plural = _("业务流程环节")
        ordering = ["line__order", "line__code", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.line} · {self.name}"


class ProjectKind(models.TextChoices):
    RESEARCH = "research", _("科研项目")
    PRODUCTION = "production", _("生产任务")
    MISSION = "mission", _("重大任务")
    TACKLING = "tackling", _("攻关课题")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("未开始")
    ACTIVE = "active", _("进行中")
    DONE = "done", _("已完成")
    SUSPENDED = "suspended", _("已暂停")


class Project(SoftDeleteModel):
    """A research project, production task, major mission or tackling topic (重点任务 when ``key``).

    ``organization`` is the party organisation answering for it (the branch of the owner department, or the
    committee); ``organizations`` the others working on it. Either places it in a user's scope.
    """

    code = models.CharField(_("任务编号"), max_length=60, unique=True)
    name = models.CharField(_("任务名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=ProjectKind.choices, default=ProjectKind.RESEARCH)
    key = models.BooleanField(_("重点任务"), default=True)
    line = models.ForeignKey(
        BusinessLine, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("主业")
    )
    stage = models.ForeignKey(
        ProcessStage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("业务流程环节"),
    )
    department = models.ForeignKey(
        "orgs.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("承担部门"),
    )
    leader = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
        verbose_name=_("负责人"),
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="projects", verbose_name=_("责任党组织")
    )
    organizations = models.ManyToManyField(
        "orgs.Organization", blank=True, related_name="joined_projects", verbose_name=_("参与党组织")
    )
    people = models.ManyToManyField("people.Person", blank=True, related_name="projects", verbose_name=_("参与人员"))
    status = models.CharField(_("状态"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    description = models.TextField(_("任务简介"), blank=True)

    objects = AliveManager.from_queryset(IntegrationQuerySet)()
    # a member sees the key tasks they lead or work on (their role covers their own person only)
    scoped_by = ScopedBy(VIEW, organization=("organization", "organizations"), own=("leader", "people"))

    class Meta:
        verbose_name = _("重点任务")
        verbose_name_plural = _("重点任务")
        ordering = ["-starts_on", "code"]
        indexes = [models.Index(fields=["key", "starts_on", "ends_on"], name="integration_project_span")]

    def __str__(self) -> str:
        return self.name


class Milestone(TimestampedModel):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="milestones", verbose_name=_("任务"))
    name = models.CharField(_("节点"), max_length=200)
    due_on = models.DateField(_("计划日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("任务节点")
        verbose_name_plural = _("任务节点")
        ordering = ["project", "order", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"
