"""One pager for every list: the page links keep the list's filters, and the rows are counted once."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.paging import filter_params, paginate, querydict
from dangjian.people.models import Person
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db


def _links(html: str) -> dict[str, str]:
    return {rel: href.replace("&amp;", "&") for href, rel in re.findall(r'<a href="([^"]*)" rel="(prev|next)"', html)}


def _people(n: int) -> None:
    for i in range(n):
        make_person(f"人{i:03}")


def test_by_default_the_links_carry_the_query_string_as_sent_but_the_page():
    _people(5)
    request = RequestFactory().get("/x/", {"q": "张", "status": "", "tag": ["a", "b"], "page": "2"})
    page = paginate(request, Person.objects.order_by("name", "pk"), 2)
    assert page.number == 2
    assert page.filters.urlencode() == "q=%E5%BC%A0&status=&tag=a&tag=b"  # empty fields and repeats kept
    links = _links(render_to_string("core/pager.html", {"page": page}, request=request))
    assert links == {
        "prev": "?q=%E5%BC%A0&status=&tag=a&tag=b&page=1",
        "next": "?q=%E5%BC%A0&status=&tag=a&tag=b&page=3",
    }


def test_named_filters_drop_empty_values_and_the_page_number():
    _people(3)
    request = RequestFactory().get("/x/", {"year": "2025", "extra": "x", "page": "1"})
    page = paginate(request, Person.objects.order_by("name", "pk"), 2, keep={"year": "2025", "q": "", "org": None})
    assert page.filters.urlencode() == "year=2025"
    assert _links(render_to_string("core/pager.html", {"page": page}, request=request)) == {"next": "?year=2025&page=2"}
    nothing = paginate(request, Person.objects.order_by("name", "pk"), 2, keep={})
    assert _links(render_to_string("core/pager.html", {"page": nothing}, request=request)) == {"next": "?page=2"}


def test_a_single_page_has_no_links_but_the_total():
    _people(2)
    request = RequestFactory().get("/x/")
    html = render_to_string(
        "core/pager.html", {"page": paginate(request, Person.objects.order_by("pk"), 50)}, request=request
    )
    assert _links(html) == {}
    assert "共 2 条" in html


def test_filter_params_and_querydict():
    data = RequestFactory().get("/x/", {"q": "甲", "status": "", "page": "3", "org": "7"}).GET
    assert filter_params(data) == {"q": "甲", "org": "7"}
    assert filter_params(None) == {}
    assert querydict({"month": "2026-01", "org": 7}).urlencode() == "month=2026-01&org=7"


def test_counted_queryset_is_counted_instead_and_only_once():
    _people(3)
    request = RequestFactory().get("/x/", {"page": "2"})
    rows = Person.objects.order_by("name", "pk")
    with CaptureQueriesContext(connection) as ctx:
        page = paginate(request, rows, 2, counted=Person.objects.filter(name="人000"))
        html = render_to_string("core/pager.html", {"page": page}, request=request)
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "WHERE" in counts[0].upper()  # the rows' query has no WHERE
    assert page.paginator.count == 1  # the counted queryset's size, not the rows'
    assert "共 1 条" in html


def test_people_list_page_two_keeps_the_filters_and_counts_once(client):
    t = make_tree()
    for i in range(51):
        make_member(t.branch1, f"成员{i:03}")
    client.force_login(make_user("office", "office", t.root))
    url = reverse("people:list")
    first = client.get(url, {"status": "member", "q": "成员"})
    links = _links(first.content.decode())
    assert links == {"next": "?status=member&q=%E6%88%90%E5%91%98&page=2"}
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(url + links["next"])
    assert [p.name for p in second.context["page"].object_list] == ["成员050"]
    assert _links(second.content.decode()) == {"prev": "?status=member&q=%E6%88%90%E5%91%98&page=1"}
    person_counts = [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() and "people_person" in q["sql"]]
    assert len(person_counts) == 1
