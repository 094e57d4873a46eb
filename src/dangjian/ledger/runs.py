"""Ledger runs: one organisation's ledger, or every branch's below a committee, assembled by a background job.

``start`` records the run and its job (``dangjian.jobs``: a worker process runs it; inline in tests) and audits it.
The handler assembles the .docx (progress per section, or per branch for a committee), converts it to PDF with
LibreOffice (``pdf``; a ledger without LibreOffice is kept with the reason instead of the PDF) and packs the year's
attachments (``provider.attachments``) into a .zip with their index (附件目录.xlsx), the ledger's last section
listing the same files. A committee's run packs every branch's ledger, PDF and attachments into one .zip, a folder
per branch. The files go to the default storage under ``ledger/<run>/``; the pages serve them after a scope check.

A run writes nothing but its own files, so a run whose worker died is simply run again (``retry``).
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record
from dangjian.core.contributions import LEDGER_SECTIONS, LedgerAttachment
from dangjian.jobs import services as jobs
from dangjian.orgs.models import Organization, OrgKind
from dangjian.sheets.writer import Book, Column

from . import assemble, pdf
from .models import LedgerRun, RunKind

logger = logging.getLogger(__name__)
KIND = "ledger.assemble"
INDEX_NAME = "附件目录.xlsx"
INDEX_COLUMNS = (Column("栏目", 14), Column("文件", 50), Column("说明", 40), Column("大小（字节）", 14))


def check_year(year: int, today: date | None = None) -> int:
    today = today or timezone.localdate()
    if not 2000 <= year <= today.year:
        raise ValidationError(_("年度应在2000年至%(y)d年之间") % {"y": today.year})
    return year


def branches_of(organization: Organization, year: int) -> list[Organization]:
    """The branches of the organisation's subtree that existed in the year (itself, when it is a branch)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return list(
        Organization.objects.subtree(organization)
        .filter(kind=OrgKind.BRANCH)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=start))
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
        .order_by("path")
    )


def start(user, organization: Organization, year: int, kind: str = RunKind.ORGANIZATION) -> LedgerRun:
    year = check_year(year)
    if kind not in RunKind.values:
        raise ValidationError(_("台账类型无效"))
    with transaction.atomic():
        run = LedgerRun.objects.create(organization=organization, year=year, kind=kind, started_by=user)
        run.job = jobs.create(KIND, run_ledger, user, organization=organization, retry=True)
        run.save(update_fields=["job"])
        jobs.update_url(run.job, reverse("ledger:run", args=[run.pk]))
        record(
            "create", run, detail={"year": year, "kind": kind, "organization": organization.code}, object_repr=str(run)
        )
    jobs.enqueue(run.job)
    run.refresh_from_db()
    return run


def _lost(job, reason: str) -> None:
    for run in LedgerRun.objects.filter(job=job):
        record("update", run, detail={"failed": "lost", "reason": reason}, object_repr=str(run))


@jobs.job_handler(on_lost=_lost)
def run_ledger(job) -> None:
    run = LedgerRun.objects.select_related("organization").get(job=job)
    if run.kind == RunKind.COMMITTEE:
        _committee(run, job)
    else:
        _organization(run, job)
    record(
        "update",
        run,
        detail={"year": run.year, "docx": bool(run.docx), "pdf": bool(run.pdf), "zip": bool(run.zip)},
        object_repr=str(run),
    )


def file_stem(organization: Organization, year: int) -> str:
    return f"{organization.code}-{year}"


def _folder(run: LedgerRun) -> str:
    return f"ledger/{run.pk}"


def _index_sheet(items: Sequence[tuple[str, LedgerAttachment]], title: str) -> bytes:
    book = Book()
    sheet = book.list_sheet("附件目录", title, INDEX_COLUMNS)
    for name, item in items:
        sheet.append((str(LEDGER_SECTIONS.get(item.section, item.section)), name, item.label, item.size))
    return book.to_bytes()


def _pack(archive: zipfile.ZipFile, items: Sequence[tuple[str, LedgerAttachment]], prefix: str, title: str) -> None:
    archive.writestr(f"{prefix}{INDEX_NAME}", _index_sheet(items, title))
    for name, item in items:
        try:
            with item.open() as fh:
                archive.writestr(f"{prefix}附件/{name}", fh.read())
        except (FileNotFoundError, OSError, ValueError):  # a file gone from the storage: the index still lists it
            logger.warning("ledger attachment %s is missing", name)


def _save(name: str, path: Path) -> str:
    with path.open("rb") as fh:
        return default_storage.save(name, File(fh))


def _organization(run: LedgerRun, job) -> None:
    org, year = run.organization, run.year
    total = len(LEDGER_SECTIONS) + 3
    job.progress(0, total, _("正在收集附件"))
    items = assemble.attachments(org, year)
    document = assemble.assemble(
        org, year, attachments=items, progress=lambda n, _t, message: job.progress(n + 1, total, message)
    )
    stem = file_stem(org, year)
    run.docx = default_storage.save(f"{_folder(run)}/{stem}.docx", ContentFile(assemble.to_bytes(document)))
    title = _("%(org)s%(y)d年度台账附件目录") % {"org": org.name, "y": year}
    with tempfile.TemporaryDirectory(prefix="ledger-") as tmp:
        out = Path(tmp)
        archive_path = out / f"{stem}.zip"
        with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
            _pack(archive, items, "", title)
        run.zip = _save(f"{_folder(run)}/{stem}-attachments.zip", archive_path)
        if getattr(settings, "LEDGER_PDF", True):
            job.progress(total - 1, total, _("正在生成 PDF"))
            source = out / f"{stem}.docx"
            source.write_bytes(assemble.to_bytes(document))
            try:
                (converted,) = pdf.convert([source], out)
                run.pdf = _save(f"{_folder(run)}/{stem}.pdf", converted)
            except pdf.PdfUnavailable as exc:
                run.pdf_error = str(exc)[:300]
    run.branches = 1 if org.kind == OrgKind.BRANCH else 0
    run.save(update_fields=["docx", "pdf", "zip", "branches", "pdf_error"])
    job.progress(total, total, _("已完成"))


def _committee(run: LedgerRun, job) -> None:
    """Every branch's ledger below the organisation in one .zip: a folder per branch with its ledger (.docx and
    .pdf), its attachments and their index. Progress per branch; the PDFs are made in one LibreOffice run."""
    org, year = run.organization, run.year
    branches = branches_of(org, year)
    total = len(branches) + 1
    job.progress(0, total, _("共%(n)d个支部") % {"n": len(branches)})
    stem = file_stem(org, year)
    with tempfile.TemporaryDirectory(prefix="ledger-") as tmp:
        out = Path(tmp)
        docx_dir = out / "docx"
        docx_dir.mkdir()
        archive_path = out / f"{stem}.zip"
        folders: dict[str, str] = {}
        with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
            for n, branch in enumerate(branches, 1):
                items = assemble.attachments(branch, year)
                body = assemble.to_bytes(assemble.assemble(branch, year, attachments=items))
                folder = f"{branch.code} {branch.name}/"
                folders[branch.code] = folder
                (docx_dir / f"{branch.code}.docx").write_bytes(body)
                archive.writestr(f"{folder}{branch.name}{year}年度台账.docx", body)
                title = _("%(org)s%(y)d年度台账附件目录") % {"org": branch.name, "y": year}
                _pack(archive, items, folder, title)
                job.progress(
                    n, total, _("%(n)d/%(total)d %(name)s") % {"n": n, "total": len(branches), "name": branch.name}
                )
            if branches and getattr(settings, "LEDGER_PDF", True):
                job.progress(len(branches), total, _("正在生成 PDF（%(n)d份）") % {"n": len(branches)})
                try:
                    converted = pdf.convert(sorted(docx_dir.glob("*.docx")), docx_dir)
                except pdf.PdfUnavailable as exc:
                    run.pdf_error = str(exc)[:300]
                else:
                    names = {b.code: b.name for b in branches}
                    for path in converted:
                        archive.write(path, f"{folders[path.stem]}{names[path.stem]}{year}年度台账.pdf")
        run.zip = _save(f"{_folder(run)}/{stem}-ledgers.zip", archive_path)
    run.branches = len(branches)
    run.save(update_fields=["zip", "branches", "pdf_error"])
    job.progress(total, total, _("已完成"))
