"""Running roster imports as jobs: store the upload, run, record progress and the report.

The uploaded file is a transient input, not a record (PIPL art. 19: kept no longer than its purpose needs): it is
sealed with the field key and written to the "uploads" storage (local: readable by the server's account only, 0600
in a 0700 directory; or the shared S3-compatible storage of a deployment with several machines), and read back by
name by whichever worker runs the job. It is deleted when the job that reads it last ends -- at once when a dry run
fails or an import ends either way; a dry run that passed keeps it for its confirmation, at most
``IMPORT_UPLOAD_RETENTION_HOURS``. The job, its report and its audit events stay.

An import is all-or-nothing in one transaction (``roster.import_roster``), so a job whose worker died is retried.
"""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from datetime import timedelta
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.crypto import ring
from dangjian.jobs import services as jobs
from dangjian.jobs.models import Job

from .models import ImportJob

KIND = "people.roster_import"


def upload_storage():
    return storages["uploads"]


def _context(name: str) -> str:
    """The associated data binding a sealed upload to its name: a file swapped for another one does not decrypt."""
    return f"upload:{name}"


def store_upload(data: bytes, suffix: str) -> str:
    """Save an upload, sealed with the field key (it holds ID numbers and phones, and a shared storage is read by
    other machines), under a fresh random name; the name is what the job keeps."""
    name = f"roster/{uuid.uuid4().hex}{suffix}"
    saved = upload_storage().save(name, ContentFile(ring().encrypt(data, _context(name))))
    if saved != name:  # a storage renames only a name already taken: never a fresh random one
        raise RuntimeError(f"upload stored as {saved}, not {name}")
    return saved


def read_upload(name: str) -> bytes:
    with upload_storage().open(name, "rb") as fh:
        data = fh.read()
    if not name.startswith("roster/"):  # saved unsealed at the storage's root before uploads were sealed
        return data
    return ring().decrypt(data, _context(name))


def discard_upload(name: str) -> None:
    if name:
        with contextlib.suppress(FileNotFoundError):
            upload_storage().delete(name)


def upload_available(job: ImportJob) -> bool:
    return bool(job.stored_name) and upload_storage().exists(job.stored_name)


def _sweep_stale_uploads() -> None:
    """Uploads of dry runs never confirmed: deleted after the retention period (those saved before uploads were
    filed under "roster/" sit at the storage's root)."""
    from django.conf import settings

    storage = upload_storage()
    limit = timezone.now() - timedelta(hours=settings.IMPORT_UPLOAD_RETENTION_HOURS)
    for folder in ("roster", ""):
        try:
            _dirs, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        for name in files:
            path = f"{folder}/{name}" if folder else name
            with contextlib.suppress(FileNotFoundError):
                if storage.get_modified_time(path) < limit:
                    storage.delete(path)


def start_job(
    user, filename: str, data: bytes | None = None, *, dry_run: bool, from_job: ImportJob | None = None
) -> ImportJob:
    if from_job is not None:
        stored = from_job.stored_name
    else:
        _sweep_stale_uploads()
        stored = store_upload(data or b"", PurePath(filename).suffix.lower())
    pk = uuid.uuid4()
    progress = jobs.create(KIND, run_import, user, url=reverse("people:import_job", args=[pk]), retry=True)
    job = ImportJob.objects.create(
        pk=pk, user=user, filename=filename, stored_name=stored, dry_run=dry_run, job=progress
    )
    jobs.enqueue(progress)
    job.refresh_from_db()
    return job


def _lost(job: Job, reason: str) -> None:
    """The reaper gave the job up: the import ends failed with its reason, and its input goes."""
    for imp in ImportJob.objects.filter(job=job).exclude(status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED]):
        _finish(imp.pk, ImportJob.Status.FAILED, error=reason)
        discard_upload(imp.stored_name)


@jobs.job_handler(on_lost=_lost)
def run_import(progress_job: Job) -> None:
    from .roster import RosterFileError, import_roster

    job = ImportJob.objects.select_related("user").get(job=progress_job)
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])

    keep_upload = False
    try:
        try:
            data = read_upload(job.stored_name)
            report = import_roster(
                data, job.filename, user=job.user, dry_run=job.dry_run, progress=progress_job.progress
            )
        except FileNotFoundError:
            gone = _("上传的文件已删除（超过保留时间或已导入），请重新上传")
            _finish(job.pk, ImportJob.Status.FAILED, error=gone)
            jobs.fail(progress_job, gone)
            return
        except RosterFileError as exc:
            _finish(job.pk, ImportJob.Status.FAILED, error=str(exc))
            jobs.fail(progress_job, str(exc))
            return
        except BaseException as exc:  # a bug, or MemoryError, must still end the job visibly
            _finish(job.pk, ImportJob.Status.FAILED, error=f"导入失败：{exc.__class__.__name__}")
            raise
        data = dataclasses.asdict(report)
        data["ok"] = report.ok
        data["error_count"] = report.error_count
        _finish(job.pk, ImportJob.Status.DONE, report=data)
        keep_upload = job.dry_run and report.ok  # waits for its confirmation
    finally:
        if not keep_upload:
            discard_upload(job.stored_name)


def _finish(job_id, status: str, *, report=None, error: str = "") -> None:
    ImportJob.objects.filter(pk=job_id).update(status=status, report=report, error=error, finished_at=timezone.now())
