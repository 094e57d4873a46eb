"""Running roster imports as jobs: store the upload, run, record progress and the report."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from dangjian.core import context
from dangjian.core.tasks import run_in_background

from .models import ImportJob


def upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_job(
    user, filename: str, data: bytes | None = None, *, dry_run: bool, from_job: ImportJob | None = None
) -> ImportJob:
    if from_job is not None:
        stored = from_job.stored_path
    else:
        suffix = Path(filename).suffix.lower()
        stored = str(upload_dir() / f"{uuid.uuid4().hex}{suffix}")
        Path(stored).write_bytes(data or b"")
    job = ImportJob.objects.create(user=user, filename=filename, stored_path=stored, dry_run=dry_run)
    ctx = context.current()
    run_in_background(_run, job.pk, ctx.request_id, ctx.ip)
    return job


def _run(job_id, request_id: str, ip: str) -> None:
    from .roster import RosterFileError, import_roster

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(done=done, total=total)

    with context.acting(job.user, channel="web", ip=ip, request_id=request_id):
        try:
            report = import_roster(
                Path(job.stored_path).read_bytes(),
                job.filename,
                user=job.user,
                dry_run=job.dry_run,
                progress=progress,
            )
        except RosterFileError as exc:
            _finish(job_id, ImportJob.Status.FAILED, error=str(exc))
            return
        except Exception as exc:  # a bug must still end the job visibly rather than spin forever
            _finish(job_id, ImportJob.Status.FAILED, error=f"导入失败：{exc.__class__.__name__}")
            raise
    data = dataclasses.asdict(report)
    data["ok"] = report.ok
    _finish(job_id, ImportJob.Status.DONE, report=data)


def _finish(job_id, status: str, *, report=None, error: str = "") -> None:
    ImportJob.objects.filter(pk=job_id).update(status=status, report=report, error=error, finished_at=timezone.now())
