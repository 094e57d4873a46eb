"""One way to page a list and keep its filters in the page links.

Every list page pages with ``paginate`` and includes ``core/pager.html``; the pager builds its links with
Django's ``{% querystring %}`` tag from ``page.filters``, so a filtered list stays filtered on page 2 and no
view builds a query string by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.functional import cached_property

PAGE = "page"


def filter_params(data: Mapping[str, Any] | None) -> dict[str, str]:
    """The filters a list was asked for: every non-empty parameter but the page number.

    The query string of links that must reproduce the list (the next page, the export of the same rows).
    A ``QueryDict`` gives the last value of each key, as a form field does.
    """
    if not data:
        return {}
    return {k: str(v) for k, v in data.items() if k != PAGE and v not in (None, "")}


def querydict(params: Mapping[str, Any]) -> QueryDict:
    """A mutable ``QueryDict`` of ``params`` (what ``{% querystring %}`` and ``.urlencode()`` take)."""
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query[key] = str(value)
    return query


class CountedPaginator(Paginator):
    """Counts a lighter queryset of the same rows (e.g. without joins only the display needs)."""

    def __init__(self, object_list, per_page: int, *, counted: QuerySet):
        super().__init__(object_list, per_page)
        self.counted = counted

    @cached_property
    def count(self) -> int:
        return self.counted.count()


def paginate(
    request: HttpRequest,
    object_list,
    per_page: int,
    *,
    keep: Mapping[str, Any] | None = None,
    counted: QuerySet | None = None,
) -> Page:
    """The requested page of ``object_list`` (already ordered), with ``page.filters`` for its links.

    ``keep`` names the filters the page links carry: by default the whole query string but ``page`` (as the
    user sent it, empty fields included); a mapping keeps only its non-empty values (``filter_params``).
    ``counted`` is counted instead of ``object_list`` when it is cheaper and has the same rows. The rows are
    counted once: the pager reads the same paginator's cached count.
    """
    if counted is None:
        paginator = Paginator(object_list, per_page)
    else:
        paginator = CountedPaginator(object_list, per_page, counted=counted)
    page = paginator.get_page(request.GET.get(PAGE))
    if keep is None:
        filters = request.GET.copy()
        filters.pop(PAGE, None)
    else:
        filters = querydict(filter_params(keep))
    page.filters = filters  # type: ignore[attr-defined]
    return page
