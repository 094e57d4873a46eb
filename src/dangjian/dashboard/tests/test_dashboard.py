"""仪表盘: the charts of the registered facts for the office, leaders and secretaries, scoped, drilling down to the
records they count; the printable tables; the big screen without personal data; constant queries."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.contributions import fact_definitions
from dangjian.meetings.models import Meeting
from dangjian.orgs.models import Organization
from dangjian.people.models import Person
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db

INDEX = reverse("dashboard:index")
CHARTS = (
    "age",
    "education",
    "sex",
    "standing",
    "funnel",
    "life_month",
    "compliance_month",
    "life",
    "dues",
    "grades",
    "appraisal",
    "care",
)


@pytest.fixture
def demo(institute_demo):
    return institute_demo


def _tables(html: str) -> set[str]:
    return set(re.findall(r'id="t-([a-z_]+)"', html))


def _org_options(html: str) -> set[int]:
    form = html.split('<select name="org">', 1)[1].split("</select>", 1)[0]
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', form)}


@pytest.mark.parametrize("username", ["office", "leader", "secretary"])
def test_the_page_renders_each_chart_with_its_table_for_every_role(client, demo, username):
    client.force_login(User.objects.get(username=username))
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert set(CHARTS) <= _tables(html)  # each chart has its <table>
    data = response.context["chart_data"]
    assert {c["id"] for c in data} >= set(CHARTS)
    assert 'id="dashboard-data" type="application/json"' in html
    assert "<script>" not in html and " style=" not in html  # CSP: nothing inline
    assert "vendor/echarts.min.js" in html and "dashboard/dashboard.js" in html


def test_the_menu_offers_the_dashboard_first_to_a_leader(client, demo):
    client.force_login(User.objects.get(username="leader"))
    html = client.get(reverse("core:home")).content.decode()
    nav = html.split('id="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="([^"]+)"', nav)[0] == INDEX


def test_a_secretary_sees_only_the_subtree_and_other_organisations_are_404(client, demo):
    secretary = User.objects.get(username="secretary")
    branch = secretary.assignments.get().organization
    client.force_login(secretary)
    response = client.get(INDEX)
    assert response.context["org"] == branch
    allowed = set(Organization.objects.filter(path__startswith=branch.path).values_list("pk", flat=True))
    assert _org_options(response.content.decode()) <= allowed
    root = Organization.objects.order_by("path").first()
    other = Organization.objects.filter(kind="branch").exclude(pk=branch.pk).first()
    for name in ("index", "print", "screen"):
        for org in (root, other):
            assert client.get(reverse(f"dashboard:{name}"), {"org": org.pk}).status_code == 404
        assert client.get(reverse(f"dashboard:{name}"), {"org": "x"}).status_code == 404
    assert client.get(INDEX, {"org": branch.pk}).status_code == 200
    # no link on the page names an organisation outside the subtree
    html = client.get(INDEX).content.decode()
    named = {int(pk) for pk in re.findall(r"org=(\d+)", html)}
    assert named <= allowed


def test_a_member_has_no_dashboard(client, demo):
    client.force_login(User.objects.get(username="member"))
    assert client.get(INDEX).status_code == 404
    assert client.get(reverse("dashboard:screen")).status_code == 404


def test_the_age_bars_drill_down_to_the_people_they_count(client, demo):
    client.force_login(User.objects.get(username="office"))
    data = {c["id"]: c for c in client.get(INDEX).context["chart_data"]}
    age = data["age"]["series"][0]
    assert sum(age["data"]) > 0
    for n, link in zip(age["data"], age["links"], strict=True):
        assert "status=party" in link and "age=" in link
        assert client.get(link).context["page"].paginator.count == n


def test_the_other_charts_link_to_the_lists_of_their_facts(client, demo):
    client.force_login(User.objects.get(username="office"))
    response = client.get(INDEX)
    org = response.context["org"]
    data = {c["id"]: c for c in response.context["chart_data"]}
    assert all(link == f"{reverse('development:funnel')}?org={org.pk}" for link in data["funnel"]["series"][0]["links"])
    march = data["life_month"]["series"][0]["links"][2]
    assert march.startswith(reverse("meetings:list")) and f"org={org.pk}" in march
    assert client.get(march).status_code == 200
    sub = data["sub_orgs"]["series"][0]["links"][0]
    assert sub.startswith(INDEX) and client.get(sub).status_code == 200
    for chart in data.values():
        for series in chart["series"]:
            for link in series["links"]:
                assert link.startswith("/"), (chart["id"], link)


def test_the_printable_version_is_tables_without_script(client, demo):
    client.force_login(User.objects.get(username="leader"))
    html = client.get(reverse("dashboard:print")).content.decode()
    assert set(CHARTS) <= _tables(html)
    assert "echarts" not in html and "dashboard.js" not in html


def test_the_big_screen_shows_no_personal_data(client, demo):
    client.force_login(User.objects.get(username="office"))
    response = client.get(reverse("dashboard:screen"), {"interval": "7"})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-interval="7"' in html
    assert 'class="dash-screen"' in html and "<script>" not in html and " style=" not in html
    org_names = " ".join(Organization.objects.values_list("name", flat=True))
    names = {n for n in Person.objects.values_list("name", flat=True) if len(n) >= 2 and n not in org_names}
    assert names and not [n for n in names if n in html]
    assert not re.search(r"\d{17}[\dXx]", html)  # no ID number
    assert all(c["series"] for c in response.context["chart_data"])  # only charts with figures rotate


def test_health_figures_of_a_group_under_five_are_not_shown(client, demo):
    """The health facts withhold a group under the minimum size; the dashboard shows the note, never a figure."""
    from dangjian.dashboard.charts import Builder
    from dangjian.facts.rollup import fact

    t_org = Organization.objects.order_by("path").first()
    withheld = {("health.screened", t_org.pk): fact("health.screened", t_org.pk, None, None, {"withheld": True})}
    chart = Builder(t_org, 2026, [], withheld).health()
    assert chart.categories == [] and chart.empty and "5" in chart.note
    shown = {("health.screened", t_org.pk): fact("health.screened", t_org.pk, 7, None, {"min_group": 5})}
    assert Builder(t_org, 2026, [], shown).health().series[0].data == [7]

    # on the demo: whatever the secretary's branch, no health number shows where the facts withhold it
    secretary = User.objects.get(username="secretary")
    client.force_login(secretary)
    data = {c["id"]: c for c in client.get(INDEX).context["chart_data"]}
    from dangjian.core.contributions import Period
    from dangjian.health.facts import HealthFacts

    branch = secretary.assignments.get().organization
    values = {v.key: v for v in HealthFacts().compute([branch], Period.year(timezone.localdate().year))}
    if values["health.screened"].value is None:
        assert "health" not in data
    else:
        assert data["health"]["series"][0]["data"][0] == values["health.screened"].value


def _add(parent, kind: str, code: str, name: str) -> Organization:
    parent = Organization.objects.get(pk=parent.pk)  # fresh: treebeard counts the children on the instance
    return Organization.objects.add_child(parent, dict(kind=kind, code=code, name=name, founded_on=date(2000, 1, 1)))


def _world():
    t = make_tree()
    office = make_user("office", "office", t.root)
    return t, office


def test_the_query_count_does_not_grow_with_the_data(client):
    t, office = _world()
    client.force_login(office)
    make_member(t.branch1)

    def count() -> int:
        caches["shared"].clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(INDEX).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    year = timezone.localdate().year
    for n in range(12):
        make_member(t.branch2 if n % 2 else t.office_branch, birth=date(1960 + n, 1, 1))
        Meeting.objects.create(
            organization=t.branch1,
            kind="committee_meeting",
            title=f"支委会{n}",
            starts_at=timezone.make_aware(timezone.datetime(year, 1 + n % 11, 3, 9)),
            ends_at=timezone.make_aware(timezone.datetime(year, 1 + n % 11, 3, 11)),
            status="minutes_recorded",
        )
    _add(t.root, "branch", "T03", "三支部")
    assert count() == before
    with CaptureQueriesContext(connection) as ctx:  # the values are reused within CACHE_SECONDS
        assert client.get(INDEX).status_code == 200
    assert len(ctx.captured_queries) < before / 3


def test_a_group_compares_its_institutes_side_by_side(client):
    t, office = _world()
    root = t.root
    a = _add(root, "committee", "T05", "甲研究所党委")
    b = _add(root, "committee", "T06", "乙研究所党委")
    branch_a = _add(a, "branch", "T051", "甲一支部")
    make_member(branch_a)
    client.force_login(office)
    data = {c["id"]: c for c in client.get(INDEX, {"org": root.pk}).context["chart_data"]}
    compared = data["compared"]
    assert [s["name"] for s in compared["series"]] == ["甲研究所党委", "乙研究所党委"]
    definitions = fact_definitions()
    assert compared["categories"][0] == str(definitions["compliance.rate"].label)
    assert compared["series"][1]["links"][0] == f"{INDEX}?org={b.pk}&year={timezone.localdate().year}"
    sub = data["sub_orgs"]
    assert sub["categories"][-2:] == ["甲研究所党委", "乙研究所党委"] and sub["series"][0]["data"][-2:] == [1, 0]
    # a branch has no sub-organisations to compare
    data = {c["id"]: c for c in client.get(INDEX, {"org": t.branch1.pk}).context["chart_data"]}
    assert "compared" not in data and "sub_orgs" not in data


def _this_year_meeting(org, kind: str, month: int, day: int = 3) -> Meeting:
    year = timezone.localdate().year
    return Meeting.objects.create(
        organization=org,
        kind=kind,
        title=f"{kind}{month}",
        starts_at=timezone.make_aware(timezone.datetime(year, month, day, 9)),
        ends_at=timezone.make_aware(timezone.datetime(year, month, day, 11)),
        status="minutes_recorded",
    )


def test_the_months_come_from_the_facts_breakdowns_and_link_to_each_months_meetings(client):
    """The meetings held by month are the facts' breakdowns (no compute per month): a month without a meeting is 0,
    and each figure opens the meetings list of that kind and month, which counts as many."""
    t, office = _world()
    client.force_login(office)
    _this_year_meeting(t.branch1, "committee_meeting", 1)
    _this_year_meeting(t.branch2, "committee_meeting", 1, day=20)
    data = {c["id"]: c for c in client.get(INDEX).context["chart_data"]}
    life = data["life_month"]
    committee = next(
        s for s in life["series"] if s["name"] == str(fact_definitions()["meetings.committee_meeting.held"].label)
    )
    assert committee["data"][0] == 2 and len(committee["data"]) == timezone.localdate().month
    assert all(n == 0 for n in committee["data"][1:])
    january = committee["links"][0]
    year = timezone.localdate().year
    assert (
        f"date_from={year}-01-01" in january
        and f"date_to={year}-01-31" in january
        and "kind=committee_meeting" in january
    )
    assert client.get(january).context["page"].paginator.count == 2
    if len(committee["links"]) > 1:
        assert client.get(committee["links"][1]).context["page"].paginator.count == 0


def test_the_compliance_by_month_chart_shows_the_facts_months_and_gaps(client):
    from dangjian.dashboard.charts import COMPLIANCE_BY_MONTH, Builder
    from dangjian.facts.rollup import fact

    t, _office = _world()
    value = fact(COMPLIANCE_BY_MONTH, t.root.pk, 50.0, {"1": 100.0, "3": 0.0}, {}, "/compliance/org/1/?year=2025")
    chart = Builder(t.root, 2025, [], {(COMPLIANCE_BY_MONTH, t.root.pk): value}).compliance_by_month()
    assert chart.kind == "line" and len(chart.categories) == 12
    assert chart.series[0].data[:4] == [100.0, None, 0.0, None]  # nothing due in February: a gap, not 0
    assert set(chart.series[0].links) == {"/compliance/org/1/?year=2025"}


def test_the_bands_chart_counts_the_published_bands_and_links_to_the_results(client):
    from dangjian.assessment import cycles, manual_scores
    from dangjian.assessment.tests.cycle_factories import open_cycle, published
    from dangjian.assessment.tests.test_lifecycle import leaf_of, lifecycle_system
    from dangjian.core import context

    t, office = _world()
    year = timezone.localdate().year
    with context.acting(office):
        cycle = open_cycle(office, lifecycle_system(office), [t.branch1, t.branch2, t.office_branch], year=year - 1)
        cycles.compute(cycle, office)
        for unit, value in {t.branch1: 4, t.branch2: "1.5", t.office_branch: "0.5"}.items():
            manual_scores.enter(office, cycle, unit.pk, leaf_of(cycle), value, "评分")
    client.force_login(office)
    assert "bands" not in {c["id"] for c in client.get(INDEX).context["chart_data"]}  # nothing published
    published(cycle)
    caches["shared"].clear()
    # this year's cycle is not published yet: the chart shows last year's, and says so
    bands = {c["id"]: c for c in client.get(INDEX).context["chart_data"]}["bands"]
    assert str(year - 1) in bands["title"]
    assert bands["categories"] == ["好", "较好", "一般", "差"] and bands["series"][0]["data"] == [1, 1, 0, 1]
    link = bands["series"][0]["links"][0]
    assert link == reverse("assessment:cycle", args=[cycle.pk]) and client.get(link).status_code == 200


def test_the_warm_command_fills_the_cache_the_page_then_reads(client, settings):
    from django.core.management import call_command

    from dangjian.dashboard import charts

    settings.DASHBOARD_CACHE_SECONDS = 123
    t, office = _world()
    make_member(t.branch1)
    secretary = make_user("sec1", "secretary", t.branch1)
    call_command("dashboard_warm", stdout=open("/dev/null", "w"))  # noqa: SIM115
    year = timezone.localdate().year
    root_children = charts.sub_organizations(t.root, Organization.objects.all())
    assert caches["shared"].get(charts.cache_key([t.root, *root_children], year)) is not None
    assert caches["shared"].get(charts.cache_key([t.branch1], year)) is not None  # the secretary's landing page
    for user in (office, secretary):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(INDEX).status_code == 200
        assert not [q for q in ctx.captured_queries if "meetings_meeting" in q["sql"]]  # nothing computed


def test_values_warmed_by_one_process_serve_the_others_through_the_database_cache(client, settings):
    """The ``shared`` cache of a real installation is a table in the database (tests keep it in memory): what
    ``dashboard-warm`` computed there, a page reads back from the table without computing a fact."""
    from django.core.management import call_command

    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "dangjian_cache"},
    }
    call_command("createcachetable", verbosity=0)  # as migration core 0003 does with these settings
    t, office = _world()
    make_member(t.branch1)
    call_command("dashboard_warm", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(office)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(INDEX).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert any("dangjian_cache" in q for q in sql)
    assert not [q for q in sql if "meetings_meeting" in q]  # nothing computed: the warmed values were read


def test_a_committee_of_many_branches_has_a_key_the_database_cache_keeps():
    """Django's database cache keeps keys of at most 255 characters and silently drops a longer one's value: a
    committee of hundreds of branches keys its figures by a digest of them."""
    from dangjian.dashboard import charts

    committee = [Organization(pk=n) for n in range(100_000, 100_400)]
    key = charts.cache_key(committee, 2026)
    assert len(key) < 100
    assert key != charts.cache_key(committee[:-1], 2026)  # other organisations below, other figures
    assert key != charts.cache_key(committee, 2025)
    assert key == charts.cache_key(list(committee), 2026)


def test_the_chooser_offers_the_way_up_and_one_level_down(client, demo):
    """Not every organisation of the scope (a group's office has thousands): the chosen one, those above it in
    scope, and those right below it."""
    client.force_login(User.objects.get(username="office"))
    root = Organization.objects.order_by("path").first()
    committee = (
        Organization.objects.filter(depth=root.depth + 1, path__startswith=root.path)
        .exclude(kind="branch")
        .exclude(kind="group")
        .order_by("path")
        .first()
    )
    target = committee or Organization.objects.filter(kind="branch").order_by("path").first()
    html = client.get(INDEX, {"org": target.pk}).content.decode()
    below = Organization.objects.filter(depth=target.depth + 1, path__startswith=target.path).exclude(kind="group")
    above = Organization.objects.filter(
        path__in=[target.path[:n] for n in range(target.steplen, len(target.path), target.steplen)]
    )
    assert _org_options(html) == {target.pk, *below.values_list("pk", flat=True), *above.values_list("pk", flat=True)}
    assert len(_org_options(html)) < Organization.objects.exclude(kind="group").count()
