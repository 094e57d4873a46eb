"""The list of submissions per organisation and year — what my organisations sent, what my office received — with
search, filters, sorting, paging and the same rows as an .xlsx ledger."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import has_perm
from dangjian.core.downloads import attachment
from dangjian.core.paging import paginate
from dangjian.core.paper import cn_date
from dangjian.core.scoping import require_perm
from dangjian.orgs.models import Organization

from .. import sheets
from ..forms import ORDER_BY, FilterForm
from ..models import PENDING, Kind
from ..queries import ANSWER, CHANGE, VIEW, received_by, visible

PAGE = 30
EXPORT_MAX = 10000


def _box(request: HttpRequest) -> str:
    box = request.GET.get("box", "")
    if box in ("sent", "received"):
        return box if box == "sent" or has_perm(request.user, ANSWER) else "sent"
    return "received" if has_perm(request.user, ANSWER) else "sent"


def filtered(request: HttpRequest) -> tuple[FilterForm, QuerySet, str, int | None]:
    user = request.user
    today = timezone.localdate()
    box = _box(request)
    data = request.GET.copy()
    if "year" not in data:
        data["year"] = str(today.year)
    form = FilterForm(data, user=user)
    qs = received_by(user) if box == "received" else visible(user)
    qs = qs.select_related("organization", "addressee")
    order = ORDER_BY["-sent"]
    year = None
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            q = d["q"].strip()
            qs = qs.filter(Q(title__icontains=q) | Q(document_number__icontains=q))
        if d["org"]:
            qs = qs.filter(organization__in=Organization.objects.subtree(d["org"]).values("pk"))
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["category"]:
            qs = qs.filter(category=d["category"])
        if d["status"] == "overdue":
            qs = qs.filter(kind=Kind.REQUEST, status__in=PENDING, deadline__lt=today)
        elif d["status"] == "pending":
            qs = qs.filter(status__in=PENDING)
        elif d["status"]:
            qs = qs.filter(status=d["status"])
        if d["year"]:
            year = d["year"]
            qs = qs.filter(year=year)
        order = ORDER_BY.get(d["sort"] or "-sent", order)
    else:
        qs = qs.none()
    return form, qs.order_by(*order), box, year


@require_perm(VIEW)
def submission_list(request: HttpRequest) -> HttpResponse:
    form, qs, box, year = filtered(request)
    page = paginate(request, qs, PAGE, keep=form.data)
    today = timezone.localdate()
    for s in page.object_list:
        s.overdue = s.kind == Kind.REQUEST and s.status in PENDING and s.deadline is not None and s.deadline < today
    return render(
        request,
        "submissions/list.html",
        {
            "page": page,
            "form": form,
            "box": box,
            "year": year,
            "can_answer": has_perm(request.user, ANSWER),
            "can_change": has_perm(request.user, CHANGE),
        },
    )


@require_perm(VIEW)
def submission_export(request: HttpRequest) -> HttpResponse:
    form, qs, box, year = filtered(request)
    heading = _("请示报告登记簿") if box == "sent" else _("收到的请示报告登记簿")
    when = _("%(y)s年度") % {"y": year} if year else _("全部年度")
    title = f"{heading}（{when}，{cn_date(timezone.localdate())}导出）"
    return attachment(sheets.export(qs[:EXPORT_MAX], title), f"请示报告_{year or '全部'}.xlsx")
