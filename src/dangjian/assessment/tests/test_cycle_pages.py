"""The cycle pages and API: the office sees the ranking, a secretary only their own unit's result; the results
and unit pages take a constant number of queries; the ranking exports as a workbook."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.models import ApiToken
from dangjian.assessment import cycles
from dangjian.assessment.models import AssessmentCycle, Occurrence, Snapshot
from dangjian.core import context
from dangjian.orgs.models import Organization
from dangjian.testing import make_tree, make_user

from .cycle_factories import open_cycle, published_system, theme_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    t = make_tree()
    office = make_user("office_root", "office", t.root)
    sec1 = make_user("sec1", "secretary", t.branch1)
    with context.acting(office):
        system = published_system(office)
        theme_day(t.branch1, date(2026, 3, 10))
        cycle = open_cycle(office, system, [t.branch1, t.branch2, t.office_branch])
        cycles.compute(cycle, office)
    return t, office, sec1, cycle


def _more_branches(t, office, cycle, n):
    from dangjian.assessment.models import CycleUnit

    for i in range(n):
        org = Organization.objects.add_child(
            t.general, dict(kind="branch", code=f"T09{i}", name=f"新支部{i}", founded_on=date(2000, 1, 1))
        )
        CycleUnit.objects.create(cycle=cycle, organization=org, kind="branch")
        theme_day(org, date(2026, 5, 1))
    with context.acting(office):
        cycles.compute(cycle, office)


def test_the_office_sees_the_ranking_and_a_secretary_only_their_unit(client, world):
    t, office, sec1, cycle = world
    client.force_login(office)
    page = client.get(reverse("assessment:cycle", args=[cycle.pk])).content.decode()
    assert "一支部" in page and "二支部" in page and "机关支部" in page
    assert client.get(reverse("assessment:cycles")).status_code == 200
    client.force_login(sec1)
    assert client.get(reverse("assessment:cycle", args=[cycle.pk])).status_code == 404
    mine = client.get(reverse("assessment:cycle_unit", args=[cycle.pk, t.branch1.pk]))
    assert mine.status_code == 200
    assert "第十六条" in mine.content.decode()
    assert client.get(reverse("assessment:cycle_unit", args=[cycle.pk, t.branch2.pk])).status_code == 404
    listing = client.get(reverse("assessment:cycles")).content.decode()
    assert reverse("assessment:cycle_unit", args=[cycle.pk, t.branch1.pk]) in listing
    assert "二支部" not in listing


def test_results_and_unit_pages_take_a_constant_number_of_queries(client, world):
    t, office, sec1, cycle = world
    client.force_login(office)
    urls = [
        reverse("assessment:cycle", args=[cycle.pk]),
        reverse("assessment:cycle_unit", args=[cycle.pk, t.branch1.pk]) + "?compare=1",
    ]
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        counts.append(len(small))
    _more_branches(t, office, cycle, 6)
    with context.acting(office):
        leaf = cycle.system.indicators.get(name="通报批评")
        for org in Organization.objects.filter(name__startswith="新支部"):
            cycles.record_occurrence(
                office, cycle.pk, unit_id=org.pk, indicator_id=leaf.pk, magnitude=Decimal(1), reason="通报"
            )
    for url, before in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as large:
            assert client.get(url).status_code == 200
        assert len(large) == before, url


def test_recompute_and_occurrences_from_the_pages(client, world):
    t, office, sec1, cycle = world
    client.force_login(office)
    response = client.post(reverse("assessment:cycle_recompute", args=[cycle.pk]))
    assert response.status_code == 302
    assert Snapshot.objects.filter(cycle=cycle).count() == 2
    leaf = cycle.system.indicators.get(name="上级表彰")
    url = reverse("assessment:occurrence_add", args=[cycle.pk, t.branch2.pk])
    client.post(url, {"indicator": leaf.pk, "points": "2", "reason": "上级表彰"})
    occurrence = Occurrence.objects.get(cycle=cycle)
    assert occurrence.points == Decimal(2)
    client.post(url, {"indicator": leaf.pk, "points": "abc", "reason": "x"})
    assert Occurrence.objects.filter(cycle=cycle).count() == 1
    client.post(reverse("assessment:occurrence_withdraw", args=[occurrence.pk]), {"reason": "重复"})
    occurrence.refresh_from_db()
    assert occurrence.withdrawn_at is not None
    client.force_login(sec1)
    assert client.post(reverse("assessment:cycle_recompute", args=[cycle.pk])).status_code == 404


def test_open_a_cycle_over_the_branches_of_a_subtree(client, world):
    t, office, sec1, cycle = world
    client.force_login(office)
    response = client.post(
        reverse("assessment:cycle_open"),
        {
            "system": cycle.system_id,
            "year": 2027,
            "half": "1",
            "subtree": t.general.pk,
            "kind": "branch",
            "self_deadline": "2027-07-10",
            "review_deadline": "2027-07-20",
        },
    )
    assert response.status_code == 302
    new = AssessmentCycle.objects.get(year=2027)
    assert new.half == 1
    assert set(new.cycle_units.values_list("organization_id", flat=True)) == {t.branch1.pk, t.branch2.pk}
    # before the first computation there is no ranking to show: every unit would stand first, in the lowest band
    page = client.get(reverse("assessment:cycle", args=[new.pk])).content.decode()
    assert 'id="not-computed"' in page and "考核单位 2 个" in page and 'id="results"' not in page


def test_the_ranking_exports_as_a_workbook(client, world):
    t, office, sec1, cycle = world
    client.force_login(office)
    response = client.get(reverse("assessment:cycle_export", args=[cycle.pk]))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    names = [r[1] for r in rows]
    assert names.index("一支部") < names.index("二支部")
    first = rows[names.index("一支部")]
    assert first[0] == 1 and first[4] == 0.5


def test_the_api_gives_a_secretary_exactly_their_unit(client, world):
    t, office, sec1, cycle = world
    token = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(sec1)}"}
    listed = client.get("/api/v1/assessment/cycles", **token).json()
    assert [c["id"] for c in listed["items"]] == [cycle.pk]
    body = client.get(f"/api/v1/assessment/cycles/{cycle.pk}/results", **token).json()
    assert [i["organization"]["id"] for i in body["items"]] == [t.branch1.pk]
    item = body["items"][0]
    assert item["rank"] == 1 and item["rank_in_kind"] == 1 and Decimal(item["total"]) == Decimal("0.50")
    by_name = {s["indicator"]["name"]: s for s in item["scores"]}
    assert "第十六条" in by_name["按期完成率"]["explanation"]
    assert by_name["理论学习"]["score"] is None and by_name["理论学习"]["explanation"] == "未评"
    sec2 = make_user("sec2", "secretary", t.branch2)
    other = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(sec2)}"}
    ranks = client.get(f"/api/v1/assessment/cycles/{cycle.pk}/results", **other).json()["items"]
    assert [(i["organization"]["id"], i["rank"]) for i in ranks] == [(t.branch2.pk, 2)]
    office = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(office)}"}
    everything = client.get(f"/api/v1/assessment/cycles/{cycle.pk}/results?limit=2", **office).json()
    assert everything["count"] == 3 and len(everything["items"]) == 2
    outsider = make_user("sec_x", "secretary", Organization.objects.get(pk=t.group1.pk))
    token_x = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(outsider)}"}
    assert client.get(f"/api/v1/assessment/cycles/{cycle.pk}/results", **token_x).status_code == 404


def test_health_and_care_officers_do_not_read_assessment_results(client, world):
    """Their home and menu are their own queues (issue 13 §2); party-work scores are not theirs to read."""
    t, office, sec1, cycle = world
    for role in ("health_officer", "care_officer"):
        officer = make_user(f"{role}_x", role, t.root)
        client.force_login(officer)
        assert client.get(reverse("assessment:cycles")).status_code in (403, 404)
        assert client.get(reverse("assessment:cycle_unit", args=[cycle.pk, t.branch1.pk])).status_code in (403, 404)
        assert 'href="/assessment/cycles/"' not in client.get("/").content.decode()
    leader = make_user("leader_x", "leader", t.root)
    client.force_login(leader)
    assert client.get(reverse("assessment:cycle_unit", args=[cycle.pk, t.branch1.pk])).status_code == 200


def test_the_results_page_shows_each_band_against_its_quota(client, world):
    t, office, sec1, cycle = world
    client.force_login(office)
    page = client.get(reverse("assessment:cycle", args=[cycle.pk])).content.decode()
    table = page[page.index('id="distribution"') : page.index("</table>", page.index('id="distribution"'))]
    # three units, all in the lowest band; the top band's quota (30 %) of three units is no unit at all (0.9)
    assert '?band=%E5%B7%AE">差</a></td><td>3</td><td>—</td>' in table
    assert '?band=%E5%A5%BD">好</a></td><td>0</td><td>0</td>' in table


def test_the_unit_page_draws_its_sections_against_the_average(client, world):
    from dangjian.assessment import services

    t, office, sec1, cycle = world
    client.force_login(sec1)
    two = client.get(reverse("assessment:cycle_unit", args=[cycle.pk, t.branch1.pk])).content.decode()
    assert '<svg id="radar"' not in two  # two 一级 indicators make a line, not a radar
    with context.acting(office):
        system, _created = services.install_default(office)
        default = open_cycle(office, system, [t.branch1, t.branch2])
        cycles.compute(default, office)
    page = client.get(reverse("assessment:cycle_unit", args=[default.pk, t.branch1.pk])).content.decode()
    svg = page[page.index('<svg id="radar"') : page.index("</svg>")]
    assert svg.count('class="unit"') == 1 and svg.count('class="average"') == 1
    assert all(f">{name}</text>" in svg for name in ("政治建设", "组织建设", "群众工作和关怀"))
    assert ">加分和扣分</text>" not in svg  # no points of its own: no scale for an axis


def test_the_api_gives_a_manual_score_with_the_reason_that_decided_it(client, world):
    from dangjian.assessment import manual_scores
    from dangjian.assessment.models import EntryKind

    t, office, sec1, cycle = world
    leaf = cycle.system.indicators.get(name="理论学习")
    with context.acting(office):
        manual_scores.enter(office, cycle, t.branch1.pk, leaf, Decimal("3"), "学习记录齐全")
        manual_scores.enter(office, cycle, t.branch2.pk, leaf, Decimal("2"), "缺三个月")
        manual_scores.enter(office, cycle, t.branch2.pk, leaf, Decimal("2.5"), "核实后调整", kind=EntryKind.SETTLEMENT)
    token = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(office)}"}
    items = client.get(f"/api/v1/assessment/cycles/{cycle.pk}/results", **token).json()["items"]
    by_unit = {i["organization"]["id"]: {s["indicator"]["name"]: s for s in i["scores"]} for i in items}
    assert Decimal(by_unit[t.branch1.pk]["理论学习"]["score"]) == Decimal(3)
    assert by_unit[t.branch1.pk]["理论学习"]["explanation"] == "审核评分：学习记录齐全"
    assert by_unit[t.branch2.pk]["理论学习"]["explanation"] == "党委办公室裁定：核实后调整"
    assert Decimal(by_unit[t.branch2.pk]["理论学习"]["score"]) == Decimal("2.5")
    total = {i["organization"]["id"]: Decimal(i["total"]) for i in items}
    assert total[t.branch1.pk] == Decimal("3.50")  # 0.50 auto + 3 manual
