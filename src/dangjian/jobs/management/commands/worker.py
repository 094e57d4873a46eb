"""``dangjian worker``: run background jobs (django-tasks' ``db_worker``), reaping lost jobs at start and periodically.

Run one or more on any machine that reaches the database and the shared file storage. All of ``db_worker``'s
options apply (``--batch``, ``--max-tasks``, ``--interval``, ``--queue-name``); ``--reload`` is off unless asked.
"""

from __future__ import annotations

import logging
import signal
import threading

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from dangjian.jobs.reaper import reap

logger = logging.getLogger(__name__)

_SIGNALS = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])


class Command(DbWorker):
    help = "运行后台任务（导入、筛查等）；启动时及每隔一段时间回收中断的任务"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)

    def handle(self, *args, **options) -> None:
        self._report(reap())
        stop = threading.Event()
        thread = threading.Thread(target=self._reap_every, args=(stop,), name="reaper", daemon=True)
        thread.start()
        # db_worker installs its shutdown handlers and never puts the old ones back; a worker run inside another
        # process (a batch run from a test or a script) would leave that process turning SIGTERM into SystemExit
        previous = {sig: signal.getsignal(sig) for sig in _SIGNALS}
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _reap_every(self, stop: threading.Event) -> None:
        try:
            while not stop.wait(settings.JOBS_REAP_SECONDS):
                try:
                    self._report(reap())
                except Exception:  # the worker keeps working; the next round tries again
                    logger.exception("reaping lost jobs failed")
        finally:
            connection.close()

    def _report(self, reaped) -> None:
        for job in reaped.retried:
            self.stdout.write(f"任务 {job.pk}（{job.kind}）处理进程中断，已重新排队")
        for job in reaped.failed:
            self.stdout.write(f"任务 {job.pk}（{job.kind}）{job.error}")
