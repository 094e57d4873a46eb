"""The plan's documents for download: the plan (.docx), the year-end summary (.docx), the deployments (.xlsx)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from dangjian.core.scoping import require_perm

from .. import documents
from ..models import Deployment
from ..services import VIEW
from .plans import _plan

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@require_GET
@require_perm(VIEW)
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return _file(documents.plan_docx(plan), DOCX, f"work-plan-{plan.year}-{plan.pk}.docx")


@require_GET
@require_perm(VIEW)
def plan_summary_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return _file(documents.summary_docx(plan), DOCX, f"work-plan-summary-{plan.year}-{plan.pk}.docx")


@require_GET
@require_perm(VIEW)
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    deployments = Deployment.objects.visible_to(request.user, VIEW).filter(item__plan=plan)
    return _file(
        documents.deployments_xlsx(plan, deployments), XLSX, f"work-plan-deployments-{plan.year}-{plan.pk}.xlsx"
    )
