"""Pages over many cases (funnel, due and overdue lists, .xlsx export) and the two .docx documents of a case."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.downloads import attachment
from dangjian.core.paging import paginate, querydict
from dangjian.core.ruletable import NoRuleInForce
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization

from .. import documents
from ..export import export_cases
from ..filters import SOON_DAYS, VIEW, filter_cases
from ..funnel import STAGES, funnel
from ..models import Development
from .cases import with_states

NOTICE_MAX_DAYS_AHEAD = 365


@require_perm(VIEW)
def funnel_page(request: HttpRequest) -> HttpResponse:
    org = None
    raw = request.GET.get("org", "")
    if raw:
        if not raw.isdigit():
            raise Http404(_("页面不存在"))
        org = get_visible(Organization.objects.all(), request.user, VIEW, pk=int(raw))
    today = timezone.localdate()
    data = funnel(request.user, org, today)
    parent = None
    if data.org is not None and data.org.depth > 1:
        parent = Organization.objects.visible_to(request.user, VIEW).filter(path=data.org.path[:-4]).first()
    return render(
        request,
        "development/funnel.html",
        {"funnel": data, "stages": STAGES, "parent": parent, "today": today, "soon_days": SOON_DAYS},
    )


def _due_page(request: HttpRequest, due: str, title: str) -> HttpResponse:
    today = timezone.localdate()
    f = filter_cases(request.user, request.GET, today, due=due)
    params = {k: v for k, v in f.params.items() if k != "due"}
    page = paginate(request, f.cases.select_related("person", "branch"), 50, keep=params)
    return render(
        request,
        "development/due.html",
        {
            "title": title,
            "due": due,
            "page": page,
            "rows": with_states(page.object_list, today),
            "org": f.org,
            "today": today,
            "export_query": querydict({**params, "due": due}).urlencode(),
        },
    )


@require_perm(VIEW)
def due_soon_list(request: HttpRequest) -> HttpResponse:
    return _due_page(request, "soon", f"{SOON_DAYS}日内到期")


@require_perm(VIEW)
def overdue_list(request: HttpRequest) -> HttpResponse:
    return _due_page(request, "overdue", "已超期")


@require_perm(VIEW)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """Everyone in progress by default (status=open); the list's filters apply."""
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("status", "open")
    f = filter_cases(request.user, data, today)
    return attachment(export_cases(f.cases, today), f"发展党员_{today:%Y%m%d}.xlsx")


def _case(request: HttpRequest, pk: int) -> Development:
    qs = Development.objects.select_related("person", "branch")
    return get_visible(qs, request.user, VIEW, pk=pk)


@require_perm(VIEW)
def notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    dev = _case(request, pk)
    refusal = documents.notice_refusal(dev, documents.done_codes(dev))
    if refusal is not None:
        messages.error(request, refusal)
        return redirect("development:detail", pk=dev.pk)
    today = timezone.localdate()
    raw = request.GET.get("start", "").strip()
    try:
        start = date.fromisoformat(raw) if raw else today
    except ValueError:
        start = None
    # the publicity period is counted in working days from ``start`` under the rule version in force then: a day
    # before the application or more than a year ahead is a typing error (and far dates have no rule version)
    latest = today + timedelta(days=NOTICE_MAX_DAYS_AHEAD)
    if start is None or not dev.started_on <= start <= latest:
        messages.error(
            request,
            _("公示开始日期无效：应为 %(first)s 至 %(last)s 之间的日期（格式 YYYY-MM-DD），请重新填写")
            % {"first": dev.started_on, "last": latest},
        )
        return redirect("development:detail", pk=dev.pk)
    phone = request.GET.get("phone", "").strip()[:30]
    try:
        content = documents.publicity_notice(dev, start, phone)
    except NoRuleInForce as exc:  # no publicity rule known on that date: say so in words
        messages.error(request, exc.message)
        return redirect("development:detail", pk=dev.pk)
    except (LookupError, OverflowError, ValueError):
        messages.error(request, _("无法按公示开始日期 %(date)s 生成公示，请检查日期") % {"date": start})
        return redirect("development:detail", pk=dev.pk)
    return attachment(content, f"{dev.person.name}_拟发展公示.docx")


@require_perm(VIEW)
def request_docx(request: HttpRequest, pk: int) -> HttpResponse:
    dev = _case(request, pk)
    refusal = documents.request_refusal(dev, documents.done_codes(dev))
    if refusal is not None:
        messages.error(request, refusal)
        return redirect("development:detail", pk=dev.pk)
    return attachment(documents.approval_request(dev), f"{dev.person.name}_接收预备党员请示.docx")
