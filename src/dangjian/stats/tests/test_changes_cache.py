"""The year's change analysis (T1) and training figures (T3) are reused between requests while the data are
unchanged, and only then: the drill-down lists the same names from the reused figures, and a membership change,
audited or not, the deletion of a person without a current membership, or a study record, shows on the next
request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core import context
from dangjian.meetings.models import Attendance, Meeting
from dangjian.people import services
from dangjian.people.models import Membership, Person
from dangjian.stats import flows, training
from dangjian.stats.compute import cell, compute, subtree_of
from dangjian.stats.scope import Period
from dangjian.talks import services as talks
from dangjian.testing import main_content

from .world import YEAR, build, member

pytestmark = pytest.mark.django_db

DECREASED = {"丁死亡", "丁转出", "丁开除", "丁除名", "丁退党", "丁取消", "丁停止"}


@pytest.fixture
def world(personas):
    return build(personas.tree)


def _counting(monkeypatch, module, name: str) -> list[int]:
    """Replaces ``module.name(scope, period)`` by itself counted: one entry per run (not taken from the cache)."""
    runs: list[int] = []
    real = getattr(module, name)

    def counted(scope, period):
        runs.append(1)
        return real(scope, period)

    monkeypatch.setattr(module, name, counted)
    return runs


@pytest.fixture
def analyses(monkeypatch):
    """Counts the analyses actually run (not taken from the cache)."""
    return _counting(monkeypatch, flows, "changed_rows")


def _names(result) -> set[str]:
    return set(result[1].values_list("name", flat=True))


def _listed(client, org, row: str) -> str:
    response = client.get(reverse("stats:cell", args=[org.pk, YEAR, "T1", row, "n"]))
    assert response.status_code == 200
    return main_content(response.content.decode())


def test_the_reused_analysis_is_the_same_as_a_fresh_one(personas, world, analyses):
    scope, period = subtree_of([personas.tree.root]), Period(YEAR)
    fresh = flows.tally(flows.changed_rows(scope, period).items(), scope.contains, period)
    first = flows.changes(scope, period)
    assert {k: v for k, v in first.items() if k != "ordered"} == fresh
    assert flows.changes(scope, period) == first
    assert len(analyses) == 2  # the direct call and the first ``changes``; the second was reused
    # another subtree or another year is another analysis
    flows.changes(subtree_of([personas.tree.general]), period)
    flows.changes(scope, Period(YEAR - 1))
    assert len(analyses) == 4


def test_drill_down_lists_the_same_names_when_reused(client, personas, world, analyses):
    client.force_login(personas.office)
    root = personas.tree.root
    with CaptureQueriesContext(connection) as first:
        html = _listed(client, root, "decreases")
    with CaptureQueriesContext(connection) as again:
        assert _listed(client, root, "decreases") == html
    assert len(analyses) == 1
    assert len(again) == len(first) - 1  # the analysis' query
    for name in DECREASED:
        assert name in html
    assert "甲一" not in html and "丙发展" not in html
    increases = _listed(client, root, "increases")
    assert all(n in increases for n in ("丙发展", "丙转入", "丙恢复")) and "丁死亡" not in increases
    assert len(analyses) == 1  # every line of T1 from the one analysis
    # the report page seeds it too: its drill-downs are the figures it shows
    assert client.get(reverse("stats:org_report", args=[root.pk, YEAR])).status_code == 200
    assert len(analyses) == 1


def test_a_change_line_is_paged_in_name_order(client, personas, world, monkeypatch, django_assert_max_num_queries):
    client.force_login(personas.office)
    root = personas.tree.root
    url = reverse("stats:cell", args=[root.pk, YEAR, "T1", "decreases", "n"])
    monkeypatch.setattr("dangjian.stats.views.PER_PAGE", 3)
    pages = []
    for n in (1, 2, 3):
        with django_assert_max_num_queries(12):
            pages.append(main_content(client.get(url, {"page": n}).content.decode()))
    order = list(
        Person.objects.filter(name__in=DECREASED).order_by("sort_key", "name", "id").values_list("name", flat=True)
    )
    listed = [name for page in pages for name in order if name in page]
    assert listed == order  # each name once, pages in the list's order
    for n, page in enumerate(pages):
        assert [name for name in order if name in page] == order[3 * n : 3 * n + 3]
        positions = [page.index(name) for name in order[3 * n : 3 * n + 3]]
        assert positions == sorted(positions)


def test_an_audited_membership_change_shows_on_the_next_request(client, personas, world, analyses):
    client.force_login(personas.office)
    t = personas.tree
    assert "甲二" not in _listed(client, t.general, "decreases")
    with context.acting(user=personas.office):
        services.move_membership(personas.office, personas.member.person.pk, t.office_branch.pk, on=date(YEAR, 10, 1))
    # 甲二 left 一总支 for 机关支部: a 转出 of 一总支, a 转入 of 机关支部, no change of the committee
    assert "甲二" in _listed(client, t.general, "dec_transferred_out")
    assert "甲二" in _listed(client, t.office_branch, "inc_transferred_in")
    assert "甲二" not in _listed(client, t.root, "decreases")
    assert len(analyses) == 4


def test_an_unaudited_membership_save_shows_on_the_next_request(personas, world, analyses):
    root = subtree_of([personas.tree.root])
    assert _names(cell(root, YEAR, "T1", "dec_died", "n")) == {"丁死亡"}
    row = Membership.objects.get(person=world.people["丁死亡"])
    row.end_cause = "left"
    row.save()  # a data fix, no audit event: its updated_at changes the marker
    assert _names(cell(root, YEAR, "T1", "dec_died", "n")) == set()
    assert _names(cell(root, YEAR, "T1", "dec_left", "n")) == {"丁死亡", "丁退党"}
    assert compute(root, YEAR).balance.decreases["died"] == 0
    assert len(analyses) == 2


def test_deleting_a_person_without_a_current_membership_shows_on_the_next_request(personas, world, analyses):
    root = subtree_of([personas.tree.root])
    assert compute(root, YEAR).balance.decreases["died"] == 1
    with context.acting(user=personas.office):
        services.delete_person(personas.office, world.people["丁死亡"].pk, "重复录入")
    # no membership was written (his ended long ago): the audit event changes the marker
    balance = compute(root, YEAR).balance
    assert balance.decreases["died"] == 0
    assert _names(cell(root, YEAR, "T1", "decreases", "n")) == DECREASED - {"丁死亡"}
    assert len(analyses) == 2


def test_training_lines_are_reused_and_an_audited_study_record_shows(client, personas, world, monkeypatch):
    """T3's lines: the names from the reused figures, in name order; a study record added through the service
    (audited) shows on the next request."""
    runs = _counting(monkeypatch, training, "people")
    t = personas.tree
    start = datetime(YEAR, 5, 10, 9, tzinfo=UTC)
    lecture = Meeting.objects.create(
        organization=t.branch1, kind="lecture", title="党课", starts_at=start, ends_at=start + timedelta(hours=2),
        status="locked",
    )  # fmt: skip
    Attendance.objects.create(meeting=lecture, person=personas.secretary.person, status="present")
    client.force_login(personas.office)

    def names(row: str) -> list[str]:
        response = client.get(reverse("stats:cell", args=[t.root.pk, YEAR, "T3", row, "n"]))
        assert response.status_code == 200
        html = main_content(response.content.decode())
        everyone = Person.objects.order_by("sort_key", "name", "id").values_list("name", flat=True)
        return [n for n in everyone if f">{n}</a>" in html]

    assert names("lecture") == ["甲一"]
    assert names("study") == []
    assert "乙二" in names("none")
    total = names("total")
    assert total == list(
        Person.objects.filter(name__in=total).order_by("sort_key", "name", "id").values_list("name", flat=True)
    )
    assert len(total) == 9 and len(runs) == 1  # the year-end members, every line from one computation
    with context.acting(user=personas.office):
        talks.add_study(
            personas.office,
            {"person": personas.other_secretary.person, "studied_on": date(YEAR, 6, 1), "title": "网络培训",
             "hours": Decimal("4.0")},
        )  # fmt: skip
    assert names("study") == ["乙二"]
    assert "乙二" not in names("none") and "乙二" in names("trained")
    assert len(runs) == 2


def test_a_cells_count_is_reused_and_a_new_member_counts_on_the_next_request(client, personas, world):
    client.force_login(personas.office)
    url = reverse("stats:cell", args=[personas.tree.root.pk, YEAR, "T2", "female", "total"])
    with CaptureQueriesContext(connection) as first:
        html = main_content(client.get(url).content.decode())
    assert "共 2 条" in html and "丙发展" in html and "戊跨总支" in html
    with CaptureQueriesContext(connection) as again:
        assert main_content(client.get(url).content.decode()) == html
    assert len(again) == len(first) - 1  # the count
    member(personas.tree.branch1, "庚新", sex="F")  # a new membership, written without an audit event
    html = main_content(client.get(url).content.decode())
    assert "共 3 条" in html and "庚新" in html


def test_a_login_or_an_export_keeps_the_reused_analysis(client, personas, world, analyses):
    """Audited reads and logins change no record: the next drill-down is still the reused one."""
    from dangjian.audit.services import record

    client.force_login(personas.office)
    html = _listed(client, personas.tree.root, "decreases")
    with context.acting(user=personas.office):
        record("login", personas.office)
        record("export", object_type_label="党内统计", object_repr="党内统计年报")
        record("view_sensitive", personas.member.person)
    assert _listed(client, personas.tree.root, "decreases") == html
    assert len(analyses) == 1


def test_figures_computed_after_a_write_replace_the_older_ones(personas, world):
    """One entry per subtree, year and kind: a write makes the next request compute afresh and keep its figures in
    place of the older ones, which would otherwise pile up until their timeout."""
    from django.core.cache import caches

    scope, period = subtree_of([personas.tree.root]), Period(YEAR)

    def kept() -> list[str]:
        return [k for k in caches["shared"]._cache if ":stats:changes:" in k]  # the memory cache of the tests

    flows.changes(scope, period)
    assert len(kept()) == 1
    row = Membership.objects.get(person=world.people["丁死亡"])
    row.end_cause = "left"
    row.save()
    assert flows.changes(scope, period)["decreases"]["died"] == 0
    assert len(kept()) == 1
