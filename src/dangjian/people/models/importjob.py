from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """A roster import and its outcome (report); its progress, attempts and heartbeat are its ``job``'s."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField("文件名", max_length=200)
    # The input's name in the "uploads" storage (never a local path: the worker may run on another machine).
    stored_name = models.CharField(max_length=300)
    job = models.OneToOneField("jobs.Job", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    dry_run = models.BooleanField("预检", default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        if self.job is not None and not self.finished:
            return self.job.percent
        return 100 if self.status == self.Status.DONE else 0

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
