"""The pages of the annual in-party statistics: the report of an organisation and a year (every table, each cell a
link to the names behind it, the balance card), a cell's list, the per-branch summary, and their .xlsx."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_for
from dangjian.core.downloads import attachment
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from . import compute as stats
from . import summary
from .export import branches_xlsx, report_xlsx
from .reuse import reused
from .scope import Period, Subtree

VIEW = "stats.view"
PER_PAGE = 50
FIRST_YEAR = 1949


def _tops(user) -> list[Organization]:
    """The highest organisations of the user's scope: the roots for the office, the own branch for a secretary."""
    scope = scope_for(user, VIEW)
    if scope.everything:
        return list(Organization.objects.filter(depth=1).order_by("path"))
    paths = set(scope.subtree_paths) | set(scope.exact_paths)
    orgs = list(Organization.objects.filter(path__in=paths).order_by("path"))
    return [o for o in orgs if not any(o.path != p.path and o.path.startswith(p.path) for p in orgs)]


def _org(request: HttpRequest, org_pk: int, year: int) -> Organization:
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise Http404(_("页面不存在"))
    return get_visible(Organization.objects.exclude(kind="group"), request.user, VIEW, pk=org_pk)


def _scope(org: Organization) -> Subtree:
    return stats.subtree_of([org])


@require_perm(VIEW)
def report(request: HttpRequest) -> HttpResponse:
    """The menu's entry: the chosen (or the user's highest) organisation and year."""
    today = timezone.localdate()
    raw_org, raw_year = request.GET.get("org", ""), request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and FIRST_YEAR <= int(raw_year) <= today.year else today.year
    if raw_org.isdigit():
        org = _org(request, int(raw_org), year)
    else:
        tops = _tops(request.user)
        if not tops:
            raise Http404(_("页面不存在"))
        org = tops[0]
    return redirect("stats:org_report", org_pk=org.pk, year=year)


def _choices(request: HttpRequest, org: Organization) -> dict:
    today = timezone.localdate()
    orgs = (
        Organization.objects.visible_to(request.user, VIEW)
        .exclude(kind="group")
        .filter(depth__lte=org.depth + 1)
        .order_by("path")[:300]
    )
    return {"org_choices": orgs, "years": list(range(today.year, today.year - 10, -1))}


@require_perm(VIEW)
def org_report(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    org = _org(request, org_pk, year)
    result = stats.compute(_scope(org), year)
    imbalance_page = paginate(request, result.balance.imbalances, PER_PAGE)
    return render(
        request,
        "stats/report.html",
        {"org": org, "year": year, "stats": result, "imbalances": imbalance_page, **_choices(request, org)},
    )


class PersonsByIds:
    """Persons listed by ids already in order: the paginator counts the ids and fetches only its page's persons."""

    def __init__(self, ids: list[int]):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, part: slice) -> list[Person]:
        ids = self.ids[part]
        found = Person.objects.select_related("department").in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


class ReusedCount:
    """A cell's count, reused while the data are unchanged (``reuse``): counting a group's cell costs more than
    fetching a page of it, and the pages of one list, and a return to it, share the count."""

    def __init__(self, count):
        self.count = count


@require_perm(VIEW)
def cell(request: HttpRequest, org_pk: int, year: int, table: str, row: str, col: str) -> HttpResponse:
    """The persons (or organisations) behind one figure, paged."""
    org = _org(request, org_pk, year)
    scope = _scope(org)
    labels = stats.cell_label(scope, year, table, row, col)
    if labels is None:
        raise Http404(_("页面不存在"))
    ordered = stats.ordered_cell_ids(scope, year, table, row, col)
    if ordered is not None:
        subject, page = stats.PERSONS, paginate(request, PersonsByIds(ordered), PER_PAGE)
    else:
        found = stats.cell(scope, year, table, row, col)
        if found is None or found[1] is None:
            raise Http404(_("页面不存在"))
        subject, rows = found
        if subject == stats.ORGANIZATIONS:
            listed = rows.order_by("path")
        else:
            listed = rows.select_related("department").order_by("sort_key", "name", "id")
        counted = stats.cell_counted(scope, year, table, row, col)
        source = listed if counted is None else counted
        reused_count = ReusedCount(lambda: reused(f"count:{table}:{row}:{col}", scope, Period(year), source.count))
        page = paginate(request, listed, PER_PAGE, counted=reused_count)  # type: ignore[arg-type]
    return render(
        request,
        "stats/cell.html",
        {
            "org": org,
            "year": year,
            "table_title": labels[0],
            "row_label": labels[1],
            "col_label": labels[2],
            "subject": subject,
            "page": page,
        },
    )


@require_perm(VIEW)
def branches(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    org = _org(request, org_pk, year)
    data = summary.by_branch(org, year)
    return render(request, "stats/branches.html", {"org": org, "year": year, "summary": data})


@require_perm(VIEW)
def export_report(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    org = _org(request, org_pk, year)
    result = stats.compute(_scope(org), year)
    return attachment(report_xlsx(org, result), f"党内统计年报_{org.name}_{year}.xlsx")


@require_perm(VIEW)
def export_branches(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    org = _org(request, org_pk, year)
    content = branches_xlsx(org, year, summary.by_branch(org, year))
    return attachment(content, f"党内统计分支部汇总_{org.name}_{year}.xlsx")
