"""Who opens these pages: the committee office over the whole tree (systems bind every organisation); and the
publication gate: before a cycle is published, its results are the office's alone."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dangjian.core.scoping import require_perm

from ..models import AssessmentCycle, CycleStatus
from ..services import MANAGE, may_manage


def office_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users log in; anyone else but the whole tree's office is told the page does not exist (404)."""

    @require_perm(MANAGE)
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_manage(request.user):
            raise Http404(_("页面不存在"))
        return view(request, *args, **kwargs)

    return wrapped


def results_hidden(user: Any, cycle: AssessmentCycle) -> bool:
    """Before publication (已公布) a cycle's results — totals, bands, ranks, scores — are shown to the office alone:
    a unit learns its result when the committee publishes it, not while it is still being reviewed or signed. The
    unit page, its report and the API (``api.cycle_results``) all ask this one question."""
    return cycle.status != CycleStatus.PUBLISHED and not may_manage(user)


def unpublished_page(request: HttpRequest, cycle: AssessmentCycle, unit: Any) -> HttpResponse | None:
    """The page a unit sees instead of its result before publication (200, no figures), or None to go on."""
    if not results_hidden(request.user, cycle):
        return None
    return render(request, "assessment/cycle_unit_unpublished.html", {"cycle": cycle, "unit": unit})
