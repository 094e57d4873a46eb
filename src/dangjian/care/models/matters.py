"""Practical matters for staff (我为群众办实事): projects, milestones and evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedSoftDeleteQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel, TimestampedModel


class MatterStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ACTIVE = "active", _("推进中")
    DONE = "done", _("已完成")
    SUSPENDED = "suspended", _("已中止")


class PracticalMatter(SoftDeleteModel):
    title = models.CharField(_("项目名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("责任党组织")
    )
    owner = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("负责人"))
    description = models.TextField(_("内容与目标"), blank=True)
    beneficiary_count = models.PositiveIntegerField(_("受益人数"), default=0)
    beneficiary_groups = models.CharField(
        _("受益群体"), max_length=200, blank=True, help_text=_("如：外聘职工、青年职工")
    )
    status = models.CharField(_("状态"), max_length=20, choices=MatterStatus.choices, default=MatterStatus.PLANNED)
    evidence_reference = models.CharField(
        _("佐证材料说明"), max_length=300, blank=True, help_text=_("如文件编号、链接")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AliveManager.from_queryset(ScopedSoftDeleteQuerySet)()
    all_objects = models.Manager.from_queryset(ScopedSoftDeleteQuerySet)()
    scoped_by = ScopedBy("care.view", organization="organization")

    class Meta:
        verbose_name = _("为群众办实事项目")
        verbose_name_plural = _("为群众办实事项目")
        ordering = ["-year", "organization__path", "id"]
        indexes = [models.Index(fields=["year", "status"])]
        constraints = [models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="care_matter_year")]

    def __str__(self) -> str:
        return self.title


class Milestone(TimestampedModel):
    matter = models.ForeignKey(PracticalMatter, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    planned_on = models.DateField(_("计划日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    objects = models.Manager.from_queryset(ScopedSoftDeleteQuerySet)()
    scoped_by = ScopedBy("care.view", organization="matter__organization")

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["planned_on", "id"]


def evidence_path(instance, filename: str) -> str:
    return f"care/evidence/{instance.matter_id}/{filename}"


class Evidence(TimestampedModel):
    matter = models.ForeignKey(PracticalMatter, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = models.Manager.from_queryset(ScopedSoftDeleteQuerySet)()
    scoped_by = ScopedBy("care.view", organization="matter__organization")

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["id"]
