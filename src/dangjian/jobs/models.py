"""One row per background job: what it is, whose it is, how far it got, and whether its process is still alive.

Every kind of long work (a roster import, a screening run, and next the yearly ledger and the assessment run)
shows its progress from this model; the domain row (``people.ImportJob``, ``health.ScreeningRun``) keeps the
outcome (report, counts) and links here. The queue itself is django-tasks' database backend (``DBTaskResult``,
``task_result_id``); this row adds what that backend lacks: progress, a heartbeat and attempts, so that a job whose
worker was killed is retried or failed with its reason by the reaper (``dangjian.jobs.reaper``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # What the job does, e.g. "people.roster_import", "health.screening"; ``handler`` is the function that does it.
    kind = models.CharField(_("类型"), max_length=40)
    handler = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("范围")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(_("进度说明"), max_length=200, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    url = models.CharField(_("结果链接"), max_length=300, blank=True)
    # The handler's arguments when no domain row holds them (e.g. the dashboard's organisations, year and language).
    params = models.JSONField(default=dict, blank=True)
    # The audit context of the request that started the job: its events carry the same request id and address.
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    # 1 for a job that must not run twice; an all-or-nothing job may be retried after its worker died.
    max_attempts = models.PositiveSmallIntegerField(default=1)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="jobs_job_running")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, int(self.done * 100 / self.total)) if self.total else 0

    @property
    def queued_seconds(self) -> int:
        """How long a pending job has waited for a worker since it was queued (again, after a lost worker: from that
        worker's last beat), 0 once one took it: a long wait means the workers are busy or none is running."""
        if self.status != self.Status.PENDING:
            return 0
        since = max(self.created_at, self.heartbeat_at or self.created_at)
        return max(0, int((timezone.now() - since).total_seconds()))

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Record progress; it is a heartbeat too."""
        from .services import record_progress

        self.done, self.total = done, total
        fields = {"done": done, "total": total}
        if message:
            self.message = fields["message"] = message[:200]
        record_progress(self, fields)
