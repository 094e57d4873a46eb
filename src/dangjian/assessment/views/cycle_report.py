"""A unit's assessment report as a Word document (``unit_report``): whoever may open the unit's result page may
download it — the office any unit's, a secretary their own unit's (404 otherwise, the same check), and only once
the cycle is published (``access.results_hidden``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dangjian.core.downloads import attachment
from dangjian.core.scoping import require_perm

from ..unit_report import unit_report
from .access import results_hidden
from .cycle_units import member_or_404
from .cycles import VIEW, cycle_or_404


@require_GET
@require_perm(VIEW)
def cycle_unit_docx(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    member = member_or_404(request, cycle, unit)
    if results_hidden(request.user, cycle):  # before publication: the unit page says so
        return redirect("assessment:cycle_unit", pk, unit)
    raw = request.GET.get("snapshot", "")
    snapshot = cycle.snapshots.filter(number=int(raw)).first() if raw.isdigit() else None
    if raw and snapshot is None:
        raise Http404(_("对象不存在"))
    content = unit_report(cycle, member.organization, snapshot)
    name = _("%(unit)s%(cycle)s结果报告.docx") % {"unit": member.organization.name, "cycle": cycle.title}
    return attachment(content, name)
