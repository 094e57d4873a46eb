"""Home items (overdue and due within 14 days, for the responsible organisation's maintainers and the responsible
person; constant queries, a summary line past five) and the facts (completion and on-time rates per subtree)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core import context
from dangjian.core.contributions import Period
from dangjian.orgs.models import Organization
from dangjian.workplan import services
from dangjian.workplan.facts import COMPLETION, ON_TIME, WorkPlanFacts
from dangjian.workplan.home import home_items

from .factories import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def _deploy(w, title, org, person, deadline):
    with context.acting(w.office):
        item = services.save_item(w.office, w.plan.pk, {"title": title})
        return services.deploy(
            w.office, item.pk, {"organization": org, "responsible": person, "measure": "m", "deadline": deadline}
        )


def test_home_items_for_maintainers_and_the_responsible_person(w):
    today = date(w.year, 6, 10)
    _deploy(w, "超期事项", w.t.branch1, w.b, date(w.year, 6, 1))
    _deploy(w, "临近事项", w.t.branch1, w.a, date(w.year, 6, 20))
    _deploy(w, "远期事项", w.t.branch1, w.a, date(w.year, 9, 1))
    _deploy(w, "二支部事项", w.t.branch2, w.c, date(w.year, 6, 1))
    texts = {i.text: i.level for i in home_items(w.sec1, today)}
    assert texts == {
        f"一支部：超期事项（时限{w.year}-06-01，已超期）": "late",
        f"一支部：临近事项（{w.year}-06-20前完成）": "due",
    }
    # the member sees their own only; the other secretary none of branch1's
    assert [i.text for i in home_items(w.member, today)] == [f"一支部：超期事项（时限{w.year}-06-01，已超期）"]
    assert all("一支部" not in i.text for i in home_items(w.sec2, today))
    # done work leaves the page
    services.mark_done(w.sec1, w.dep.pk, today)
    assert not any("党建引领" in i.text for i in home_items(w.sec1, date(w.year, 12, 30)))


def test_home_items_keep_their_queries_and_sum_up_the_rest(w):
    today = date(w.year, 6, 10)
    _deploy(w, "超期0", w.t.branch1, w.a, date(w.year, 6, 1))
    with CaptureQueriesContext(connection) as few:
        home_items(w.sec1, today)
    for i in range(1, 8):
        _deploy(w, f"超期{i}", w.t.branch1, w.a, date(w.year, 6, 1))
    w.sec1 = type(w.sec1).objects.get(pk=w.sec1.pk)  # a fresh request's user
    with CaptureQueriesContext(connection) as many:
        items = home_items(w.sec1, today)
    assert len(many) <= len(few) + 1  # the count, once there are more than shown
    late = [i for i in items if i.level == "late"]
    assert len(late) == 6 and late[-1].text == "另有3项工作计划任务已超期" and sum(i.count for i in late) == 8


def test_completion_and_on_time_rates_per_subtree(w):
    year = w.year
    on_time = _deploy(w, "按时", w.t.branch1, w.a, date(year, 3, 1))
    late = _deploy(w, "逾期完成", w.t.branch2, w.c, date(year, 3, 1))
    cancelled = _deploy(w, "取消", w.t.branch2, w.c, date(year, 3, 1))
    services.mark_done(w.sec1, on_time.pk, date(year, 2, 20))
    services.mark_done(w.sec2, late.pk, date(year, 4, 1))
    services.cancel(w.office, cancelled.pk, "调整")
    # w.dep (branch1, deadline 12-31) stays open
    orgs = list(Organization.objects.filter(pk__in=[w.t.root.pk, w.t.branch1.pk, w.t.branch2.pk]).order_by("path"))
    with CaptureQueriesContext(connection) as q:
        values = {(v.key, v.organization_id): v for v in WorkPlanFacts().compute(orgs, Period.year(year))}
    assert len(q) <= 2
    assert values[(COMPLETION, w.t.root.pk)].value == round(200 / 3, 1)
    assert values[(ON_TIME, w.t.root.pk)].value == round(100 / 3, 1)
    assert values[(COMPLETION, w.t.branch1.pk)].value == 50.0
    assert values[(ON_TIME, w.t.branch2.pk)].value == 0.0
    assert values[(COMPLETION, w.t.branch2.pk)].inputs["deployments"] == 1
    # as of the end of March: nothing of branch2 was done yet
    march = {
        (v.key, v.organization_id): v
        for v in WorkPlanFacts().compute(orgs, Period(date(year, 1, 1), date(year, 3, 31)))
    }
    assert march[(COMPLETION, w.t.branch2.pk)].value == 0.0
    # a year without deployments: no figure
    other = {(v.key, v.organization_id): v for v in WorkPlanFacts().compute(orgs, Period.year(year - 1))}
    assert other[(COMPLETION, w.t.root.pk)].value is None
    assert values[(COMPLETION, w.t.root.pk)].evidence_url.endswith(f"org={w.t.root.pk}")


def test_facts_keep_their_queries_for_more_organisations(w):
    orgs = list(Organization.objects.order_by("path"))
    with CaptureQueriesContext(connection) as q:
        WorkPlanFacts().compute(orgs[:1], Period.year(w.year))
    with CaptureQueriesContext(connection) as many:
        WorkPlanFacts().compute(orgs, Period.year(w.year))
    assert len(many) == len(q)
