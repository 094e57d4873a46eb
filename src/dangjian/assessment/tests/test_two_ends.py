"""抓两头促中间 over a signed cycle: the office's page (top candidates, 后进 units, star ratings), granting and
withdrawing titles, recording a 约谈, rating stars with last year's movement, 软弱涣散 整顿 set and lifted, the 标杆
fact; a branch secretary gets 404; the page's queries do not grow with the number of units."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment import cycles, two_ends
from dangjian.assessment.models import CycleUnit, Interview, StarRating, Title, TitleKind
from dangjian.assessment.title_facts import KEY, BenchmarkTitleFacts
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.core.contributions import Period
from dangjian.orgs import rectifying
from dangjian.orgs.models import Organization, Rectifying
from dangjian.testing import make_tree, make_user

from .cycle_factories import open_cycle, published_system

pytestmark = pytest.mark.django_db


def _sign(cycle):
    cycle.status = "signed"
    cycle.save(update_fields=["status"])
    return cycle


@pytest.fixture
def world():
    """A signed cycle over three branches; branch1 earns a 3-point bonus, so it is the top unit."""
    t = make_tree()
    office = make_user("office_root", "office", t.root)
    sec1 = make_user("sec1", "secretary", t.branch1)
    with context.acting(office):
        system = published_system(office)
        cycle = open_cycle(office, system, [t.branch1, t.branch2, t.office_branch])
        cycles.compute(cycle, office)
        leaf = system.indicators.get(name="上级表彰")
        cycles.record_occurrence(
            office, cycle.pk, unit_id=t.branch1.pk, indicator_id=leaf.pk, magnitude=3, reason="表彰"
        )
    return t, office, sec1, _sign(cycle)


def test_an_unsigned_cycle_says_so_and_refuses_the_actions(client, world):
    t, office, sec1, cycle = world
    cycle.status = "review"
    cycle.save()
    client.force_login(office)
    page = client.get(reverse("assessment:two_ends", args=[cycle.pk])).content.decode()
    assert 'id="not-signed"' in page and 'id="top"' not in page
    with context.acting(office), pytest.raises(ValidationError):
        two_ends.grant(office, cycle.pk, t.branch1.pk, TitleKind.BENCHMARK)
    with context.acting(office), pytest.raises(ValidationError):
        two_ends.rate(office, cycle.pk)


def test_the_page_lists_the_top_unit_as_candidate_and_every_unit_below_70_as_behind(client, world):
    t, office, sec1, cycle = world
    client.force_login(office)
    page = client.get(reverse("assessment:two_ends", args=[cycle.pk]) + "?top_by=count&top_count=1").content.decode()
    assert "5星 ≥95分（不超过参评单位的 10%）" in page.split('id="star-levels"')[1]
    top = page.split('id="top"')[1].split("</table>")[0]
    assert f'data-unit="{t.branch1.pk}"' in top and f'data-unit="{t.branch2.pk}"' not in top
    bottom = page.split('id="bottom"')[1].split("</table>")[0]
    # every total of the small test system is below the default 70
    for org in (t.branch1, t.branch2, t.office_branch):
        assert f'data-unit="{org.pk}"' in bottom
    assert reverse("assessment:rectification_seed", args=[cycle.pk, t.branch2.pk]) in bottom
    assert reverse("orgs:rectifying_start", args=[t.branch2.pk]) in bottom
    # the office's own threshold: nobody below 1 point but the units without any
    narrow = client.get(reverse("assessment:two_ends", args=[cycle.pk]) + "?bottom_by=below&bottom_below=1")
    assert f'data-unit="{t.branch1.pk}"' not in narrow.content.decode().split('id="bottom"')[1].split("</table>")[0]


def test_a_long_bottom_list_shows_its_last_units_and_says_how_many_there_are(client, world, monkeypatch):
    from dangjian.assessment.views import two_ends as page_module

    t, office, sec1, cycle = world
    monkeypatch.setattr(page_module, "BOTTOM_SHOWN", 2)
    client.force_login(office)
    page = client.get(reverse("assessment:two_ends", args=[cycle.pk])).content.decode()
    assert "后进单位共 3 个，此处列出排名最后的 2 个" in page
    bottom = page.split('id="bottom"')[1].split("</table>")[0]
    assert bottom.count("data-unit=") == 2 and f'data-unit="{t.branch1.pk}"' not in bottom  # the best of the three


def test_a_branch_secretary_and_another_office_get_404(client, world):
    t, office, sec1, cycle = world
    office_b2 = make_user("office_b2", "office", t.branch2)
    title = _grant(office, cycle, t.branch1)
    urls = [
        ("get", reverse("assessment:two_ends", args=[cycle.pk])),
        ("post", reverse("assessment:title_grant", args=[cycle.pk])),
        ("post", reverse("assessment:star_rate", args=[cycle.pk])),
        ("get", reverse("assessment:interview_add", args=[cycle.pk, t.branch1.pk])),
        ("get", reverse("assessment:title_withdraw", args=[title.pk])),
        ("get", reverse("orgs:rectifying_start", args=[t.branch1.pk])),
        ("get", reverse("orgs:rectifying_lift", args=[t.branch1.pk])),
    ]
    for user in (sec1, office_b2):
        client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (user, url)
    assert StarRating.objects.count() == 0


def _grant(office, cycle, org, kind=TitleKind.BENCHMARK):
    with context.acting(office):
        return two_ends.grant(office, cycle.pk, org.pk, kind)


def test_granting_a_title_is_audited_once_and_withdrawn_with_a_reason(client, world):
    t, office, sec1, cycle = world
    client.force_login(office)
    response = client.post(
        reverse("assessment:title_grant", args=[cycle.pk]), {"unit": t.branch1.pk, "kind": TitleKind.BENCHMARK}
    )
    assert response.status_code == 302
    title = Title.objects.get()
    assert (title.organization_id, title.year, title.kind, title.cycle_id) == (
        t.branch1.pk,
        2026,
        "benchmark_branch",
        cycle.pk,
    )
    assert AuditEvent.objects.filter(object_type__endswith="title", action="create").count() == 1
    with context.acting(office), pytest.raises(ValidationError):
        two_ends.grant(office, cycle.pk, t.branch1.pk, TitleKind.BENCHMARK)
    # not a unit of the cycle
    other = Organization.objects.get(code="T0111")
    with context.acting(office), pytest.raises(Exception, match="对象不存在"):
        two_ends.grant(office, cycle.pk, other.pk, TitleKind.ADVANCED)
    url = reverse("assessment:title_withdraw", args=[title.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "误授"}).status_code == 302
    title.refresh_from_db()
    assert title.withdrawn_at and title.withdrawn_reason == "误授"
    # granted again after the withdrawal: the old row stays
    _grant(office, cycle, t.branch1)
    assert Title.objects.count() == 2
    # the organisation page lists the current title
    page = client.get(reverse("orgs:detail", args=[t.branch1.pk])).content.decode()
    assert "2026年度标杆党支部" in page.split('id="org-titles"')[1]


def test_an_interview_is_recorded_for_a_unit_behind(client, world):
    t, office, sec1, cycle = world
    client.force_login(office)
    url = reverse("assessment:interview_add", args=[cycle.pk, t.branch2.pk])
    assert client.post(url, {"held_on": "2027-01-10", "attendees": "", "notes": ""}).status_code == 200
    today = timezone.localdate()
    future = (today + timedelta(days=1)).isoformat()
    assert client.post(url, {"held_on": future, "attendees": "书记", "notes": "问题"}).status_code == 200
    assert not Interview.objects.exists()
    response = client.post(url, {"held_on": today.isoformat(), "attendees": "党委书记、二支部书记", "notes": "失分多"})
    assert response.status_code == 302
    item = Interview.objects.get()
    assert (item.organization_id, item.cycle_id, item.recorded_by_id) == (t.branch2.pk, cycle.pk, office.pk)
    assert AuditEvent.objects.filter(object_type__endswith="interview").count() == 1
    page = client.get(reverse("assessment:two_ends", args=[cycle.pk])).content.decode()
    assert today.isoformat() in page.split('id="bottom"')[1]


def test_stars_are_rated_from_the_cycle_with_last_years_movement_and_rating_again_keeps_history(client, world):
    t, office, sec1, cycle = world
    StarRating.objects.create(
        organization=t.branch2,
        year=2025,
        stars=3,
        total=Decimal(85),
        cycle=cycle,
        set_by=office,
        set_at=timezone.now(),
    )
    client.force_login(office)
    assert client.post(reverse("assessment:star_rate", args=[cycle.pk])).status_code == 302
    ratings = {r.organization_id: r for r in StarRating.objects.filter(year=2026)}
    assert set(ratings) == {t.branch1.pk, t.branch2.pk, t.office_branch.pk}
    assert {r.stars for r in ratings.values()} == {1}  # every total is below 70
    assert ratings[t.branch2.pk].previous_stars == 3 and ratings[t.branch2.pk].movement == "↓"
    assert ratings[t.branch1.pk].previous_stars is None
    page = client.get(reverse("assessment:two_ends", args=[cycle.pk])).content.decode()
    assert "↓" in page.split(f'data-unit="{t.branch2.pk}"')[-1].split("</tr>")[0]
    org_page = client.get(reverse("orgs:detail", args=[t.branch2.pk])).content.decode()
    assert "2026年度1星级党支部" in org_page and "↓" in org_page.split('id="org-stars"')[1]
    with context.acting(office):
        two_ends.rate(office, cycle.pk)
    assert StarRating.objects.filter(year=2026).count() == 6
    assert StarRating.objects.filter(year=2026, current=True).count() == 3


def test_star_levels_come_from_the_rule_store():
    levels = two_ends.levels(date(2026, 12, 31))
    assert [(lv.stars, lv.minimum, lv.quota) for lv in levels] == [
        (5, Decimal(95), Decimal("0.1")),
        (4, Decimal(90), None),
        (3, Decimal(80), None),
        (2, Decimal(70), None),
    ]


def test_rectifying_is_set_and_lifted_by_the_office_and_shown_on_the_pages(client, world):
    t, office, sec1, cycle = world
    client.force_login(office)
    assert not t.branch2.rectifying
    here = reverse("assessment:two_ends", args=[cycle.pk])
    start = reverse("orgs:rectifying_start", args=[t.branch2.pk])
    assert client.post(start, {"started_on": "2027-01-10", "reason": ""}).status_code == 200
    response = client.post(start, {"started_on": timezone.localdate().isoformat(), "reason": "后进", "next": here})
    assert response.status_code == 302 and response["Location"] == here
    assert t.branch2.rectifying and list(Organization.objects.rectifying()) == [t.branch2]
    with context.acting(office), pytest.raises(ValidationError):
        rectifying.start(office, t.branch2.pk, started_on=timezone.localdate(), reason="再次")
    assert 'id="org-rectifying"' in client.get(reverse("orgs:detail", args=[t.branch2.pk])).content.decode()
    page = client.get(here).content.decode()
    assert reverse("orgs:rectifying_lift", args=[t.branch2.pk]) in page
    # a secretary never lifts their own unit's status
    client.force_login(make_user("sec2", "secretary", t.branch2))
    assert (
        client.post(reverse("orgs:rectifying_lift", args=[t.branch2.pk]), {"lifted_on": "2026-01-01"}).status_code
        == 404
    )
    client.force_login(office)
    lift = reverse("orgs:rectifying_lift", args=[t.branch2.pk])
    assert client.post(lift, {"lifted_on": timezone.localdate().isoformat(), "reason": "整顿到位"}).status_code == 302
    assert not t.branch2.rectifying
    period = Rectifying.objects.get()
    assert period.lifted_by_id == office.pk and period.lifted_reason == "整顿到位"
    assert AuditEvent.objects.filter(object_type__endswith="rectifying").count() == 2
    with context.acting(office), pytest.raises(ValidationError):
        rectifying.lift(office, t.branch2.pk, lifted_on=timezone.localdate(), reason="again")


def test_the_benchmark_fact_counts_a_current_title_of_this_year_or_the_last():
    t = make_tree()
    office = make_user("office_root", "office", t.root)
    with context.acting(office):
        cycle = _sign(open_cycle(office, published_system(office), [t.branch1, t.branch2], year=2025))
        _grant(office, cycle, t.branch1)
        _grant(office, cycle, t.branch2, TitleKind.ADVANCED)
    orgs = [t.root, t.branch1, t.branch2]
    provider = BenchmarkTitleFacts()
    values = {v.organization_id: v.value for v in provider.compute(orgs, Period.year(2026))}
    assert values == {t.root.pk: 0, t.branch1.pk: 1, t.branch2.pk: 0}
    assert {v.key for v in provider.compute(orgs, Period.year(2026))} == {KEY}
    assert {v.value for v in provider.compute(orgs, Period.year(2027))} == {0}
    assert {v.value for v in provider.compute(orgs, Period.year(2024))} == {0}
    Title.objects.update(withdrawn_at=timezone.now(), withdrawn_reason="误授")
    assert {v.value for v in provider.compute(orgs, Period.year(2025))} == {0}


def _more_units(t, office, cycle, n):
    for i in range(n):
        org = Organization.objects.add_child(
            t.general, dict(kind="branch", code=f"T09{i}", name=f"新支部{i}", founded_on=date(2000, 1, 1))
        )
        CycleUnit.objects.create(cycle=cycle, organization=org, kind="branch")
    with context.acting(office):
        cycles.compute(cycle, office)


def test_the_page_takes_a_constant_number_of_queries(client, world):
    t, office, sec1, cycle = world
    client.force_login(office)
    url = reverse("assessment:two_ends", args=[cycle.pk])
    with context.acting(office):
        two_ends.rate(office, cycle.pk)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _more_units(t, office, cycle, 6)
    with context.acting(office):
        two_ends.rate(office, cycle.pk)
        _grant(office, cycle, t.branch2)
        rectifying.start(office, t.branch2.pk, started_on=timezone.localdate(), reason="后进")
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
