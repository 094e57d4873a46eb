"""Running roster imports as jobs: store the upload, run, record progress and the report.

The uploaded file is a transient input, not a record (PIPL art. 19: kept no longer than its purpose needs): it is
written readable by the server's account only (0600, in a 0700 directory) and deleted when the job that reads it
last ends -- at once when a dry run fails or an import ends either way; a dry run that passed keeps it for its
confirmation, at most ``IMPORT_UPLOAD_RETENTION_HOURS``. The job, its report and its audit events stay.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import context
from dangjian.core.tasks import run_in_background

from .models import ImportJob


def upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "uploads"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def store_upload(data: bytes, suffix: str) -> str:
    """Write an upload readable and writable by the server's account only (0600), whatever the umask."""
    stored = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    fd = os.open(stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return str(stored)


def discard_upload(stored: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        Path(stored).unlink()


def upload_available(job: ImportJob) -> bool:
    return bool(job.stored_path) and Path(job.stored_path).is_file()


def _sweep_stale_uploads() -> None:
    """Uploads of dry runs never confirmed: deleted after the retention period."""
    limit = time.time() - settings.IMPORT_UPLOAD_RETENTION_HOURS * 3600
    for path in upload_dir().iterdir():
        with contextlib.suppress(FileNotFoundError):
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()


def start_job(
    user, filename: str, data: bytes | None = None, *, dry_run: bool, from_job: ImportJob | None = None
) -> ImportJob:
    if from_job is not None:
        stored = from_job.stored_path
    else:
        _sweep_stale_uploads()
        stored = store_upload(data or b"", Path(filename).suffix.lower())
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

    keep_upload = False
    try:
        with context.acting(job.user, channel="web", ip=ip, request_id=request_id):
            try:
                report = import_roster(
                    Path(job.stored_path).read_bytes(),
                    job.filename,
                    user=job.user,
                    dry_run=job.dry_run,
                    progress=progress,
                )
            except FileNotFoundError:
                gone = _("上传的文件已删除（超过保留时间或已导入），请重新上传")
                _finish(job_id, ImportJob.Status.FAILED, error=gone)
                return
            except RosterFileError as exc:
                _finish(job_id, ImportJob.Status.FAILED, error=str(exc))
                return
            except BaseException as exc:  # a bug, or MemoryError, must still end the job visibly
                _finish(job_id, ImportJob.Status.FAILED, error=f"导入失败：{exc.__class__.__name__}")
                raise
        data = dataclasses.asdict(report)
        data["ok"] = report.ok
        data["error_count"] = report.error_count
        _finish(job_id, ImportJob.Status.DONE, report=data)
        keep_upload = job.dry_run and report.ok  # waits for its confirmation
    finally:
        if not keep_upload:
            discard_upload(job.stored_path)


def _finish(job_id, status: str, *, report=None, error: str = "") -> None:
    ImportJob.objects.filter(pk=job_id).update(status=status, report=report, error=error, finished_at=timezone.now())
