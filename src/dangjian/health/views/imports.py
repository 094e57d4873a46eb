"""Checkup import pages: upload and dry run, the report, confirmation, the template, column mappings.

The dry run runs while the request waits (a checkup sheet is an institute's staff, thousands of rows, not a
national roster); the upload is kept encrypted in the job row until the import is confirmed, then wiped.
A job is visible only to the health officer who started it.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.downloads import attachment
from dangjian.core.scoping import require_perm
from dangjian.sheets import SheetError

from .. import services
from ..forms import ImportForm, MappingForm
from ..importer import import_checkups
from ..layout import build_template, layout_of, template_layout
from ..models import CheckupImportJob, ColumnMapping

VALUES = services.VALUES
UPLOAD_RETENTION_DAYS = 1


def _run(job: CheckupImportJob, data: bytes, *, dry_run: bool) -> None:
    try:
        report = import_checkups(
            data, job.filename, layout_of(job.mapping), year=job.year, user=job.user, dry_run=dry_run, job=job
        )
    except SheetError as exc:
        job.status, job.ok, job.error = CheckupImportJob.Status.FAILED, False, str(exc)
        job.file_ciphertext = None  # a transient input: nothing left to confirm
    else:
        job.status, job.ok = CheckupImportJob.Status.DONE, report.ok
        job.store_report(report.as_dict())
        if not dry_run and report.ok:
            job.applied, job.dry_run, job.file_ciphertext = True, False, None
        elif not report.ok:
            job.file_ciphertext = None


def _wipe_stale_uploads() -> None:
    """An unconfirmed upload holds checkup values: keep it for a day at most (PIPL art. 19, minimal retention)."""
    stale = timezone.now() - timedelta(days=UPLOAD_RETENTION_DAYS)
    CheckupImportJob.objects.filter(created_at__lt=stale, file_ciphertext__isnull=False).update(file_ciphertext=None)


@require_perm(VALUES)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        data = upload.read()
        job = CheckupImportJob(user=request.user, year=d["year"], mapping=d["mapping"], filename=upload.name[:200])
        job.store_file(data)
        _run(job, data, dry_run=True)
        job.save()
        _wipe_stale_uploads()
        return redirect("health:import_job", pk=job.pk)
    recent = CheckupImportJob.objects.filter(user=request.user).select_related("mapping")[:10]
    return render(
        request,
        "health/import.html",
        {"form": form, "recent": recent, "mappings": ColumnMapping.objects.all(), "template": template_layout()},
    )


def _own_job(request: HttpRequest, pk) -> CheckupImportJob:
    return get_object_or_404(CheckupImportJob.objects.select_related("mapping"), pk=pk, user=request.user)


@require_perm(VALUES)
def import_job(request: HttpRequest, pk) -> HttpResponse:
    job = _own_job(request, pk)
    return render(request, "health/import_job.html", {"job": job, "report": job.report()})


@require_POST
@require_perm(VALUES)
def import_confirm(request: HttpRequest, pk) -> HttpResponse:
    with transaction.atomic():
        job = get_object_or_404(CheckupImportJob.objects.select_for_update(), pk=pk, user=request.user)
        if not (job.dry_run and job.ok and not job.applied and job.file_ciphertext is not None):
            messages.error(request, _("只有预检通过且尚未导入的文件才能确认导入（未确认的上传文件保留1天）"))
            return redirect("health:import_job", pk=job.pk)
        _run(job, job.file_bytes(), dry_run=False)
        job.save()
    return redirect("health:import_job", pk=job.pk)


@require_perm(VALUES)
def import_template(request: HttpRequest) -> HttpResponse:
    return attachment(build_template(), "checkup-template.xlsx")


@require_perm(VALUES)
def mapping_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    mapping = None
    if pk is not None:
        mapping = ColumnMapping.objects.filter(pk=pk).first()
        if mapping is None:
            raise Http404(_("对象不存在"))
    form = MappingForm(request.POST or None, instance=mapping)
    if request.method == "POST" and form.is_valid():
        mapping = services.save_mapping(request.user, form)
        messages.success(request, _("已保存列映射「%(name)s」") % {"name": mapping.name})
        return redirect(reverse("health:import"))
    return render(request, "health/mapping.html", {"form": form, "mapping": mapping})
