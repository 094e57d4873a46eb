from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.downloads import attachment
from dangjian.core.scoping import require_perm

from .. import importing
from ..forms import RosterUploadForm
from ..models import ImportJob


@require_perm("people.import")
def roster_import(request: HttpRequest) -> HttpResponse:
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = importing.start_job(request.user, upload.name, upload.read(), dry_run=True)
        return redirect("people:import_job", pk=job.pk)
    recent = ImportJob.objects.filter(user=request.user).select_related("job")[:10]
    return render(request, "people/import.html", {"form": form, "recent": recent})


@require_perm("people.import")
def roster_template(request: HttpRequest) -> HttpResponse:
    from ..roster import build_template

    return attachment(build_template(), "roster-template.xlsx")


def _own_job(request: HttpRequest, pk) -> ImportJob:
    # A job belongs to whoever started it: anyone else gets 404.
    return get_object_or_404(ImportJob.objects.select_related("job"), pk=pk, user=request.user)


@require_perm("people.import")
def import_job(request: HttpRequest, pk) -> HttpResponse:
    job = _own_job(request, pk)
    template = "people/import_job_status.html" if request.htmx else "people/import_job.html"
    report = dict(job.report or {})
    report.setdefault("error_count", len(report.get("errors", [])) + report.get("more_errors", 0))
    return render(request, template, {"job": job, "report": report})


@require_POST
@require_perm("people.import")
def import_confirm(request: HttpRequest, pk) -> HttpResponse:
    job = _own_job(request, pk)
    if not (job.dry_run and job.status == ImportJob.Status.DONE and (job.report or {}).get("ok")):
        messages.error(request, _("只有预检通过的文件才能确认导入"))
        return redirect("people:import_job", pk=job.pk)
    if not importing.upload_available(job):
        messages.error(request, _("上传的文件已删除（预检通过后保留有限时间，或已确认导入过），请重新上传"))
        return redirect("people:import_job", pk=job.pk)
    applied = importing.start_job(request.user, job.filename, dry_run=False, from_job=job)
    return redirect("people:import_job", pk=applied.pk)
