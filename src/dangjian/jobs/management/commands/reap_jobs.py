"""``dangjian reap-jobs``: retry or fail the jobs whose worker stopped beating (the workers also do it themselves)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from dangjian.jobs.reaper import reap


class Command(BaseCommand):
    help = "回收处理进程已中断的后台任务：可重试的重新排队，其余标记为失败并注明原因"

    def handle(self, *args, **options) -> None:
        reaped = reap()
        for job in reaped.retried:
            self.stdout.write(f"任务 {job.pk}（{job.kind}）已重新排队")
        for job in reaped.failed:
            self.stdout.write(f"任务 {job.pk}（{job.kind}）已标记失败：{job.error}")
        self.stdout.write(f"重新排队 {len(reaped.retried)} 个，标记失败 {len(reaped.failed)} 个")
