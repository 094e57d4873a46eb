"""Existing records put in the matrix: a meeting (theme day, lecture on a business topic) or a leader's contact
point, linked to the key task or stage it served; and the evidence files of any carrier."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy

from .base import IntegrationQuerySet

VIEW = "integration.view"


class ActivityLink(models.Model):
    """A theme day or lecture held on a business topic (the matrix column ``activity``)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="business_links", verbose_name=_("活动")
    )
    project = models.ForeignKey(
        "integration.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_links",
        verbose_name=_("重点任务"),
    )
    stage = models.ForeignKey(
        "integration.ProcessStage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_links",
        verbose_name=_("业务流程环节"),
    )
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = IntegrationQuerySet.as_manager()
    scoped_by = ScopedBy(VIEW, organization="meeting__organization")

    class Meta:
        verbose_name = _("业务主题活动")
        verbose_name_plural = _("业务主题活动")
        ordering = ["pk"]


class ContactPointLink(models.Model):
    """A leader's contact point working on a key task or stage (the matrix column ``contact_point``)."""

    contact_point = models.ForeignKey(
        "talks.ContactPoint", on_delete=models.PROTECT, related_name="business_links", verbose_name=_("联系点")
    )
    project = models.ForeignKey(
        "integration.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_point_links",
        verbose_name=_("重点任务"),
    )
    stage = models.ForeignKey(
        "integration.ProcessStage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_point_links",
        verbose_name=_("业务流程环节"),
    )
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = IntegrationQuerySet.as_manager()
    scoped_by = ScopedBy(VIEW, organization="contact_point__organization")

    class Meta:
        verbose_name = _("联系点联系任务")
        verbose_name_plural = _("联系点联系任务")
        ordering = ["pk"]


class CarrierEvidence(models.Model):
    """A file proving a carrier's work or a plan's progress (a report, photos, a result); withdrawn, never
    deleted. ``target`` is the record it belongs to (a taskforce report, a zone report, a plan progress report…)."""

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    title = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to="integration/evidence/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回原因"), blank=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["target_type", "target_id", "uploaded_at", "pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="integration_evidence_target")]
