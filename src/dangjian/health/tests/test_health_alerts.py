"""The health officer's to-do items: follow-ups late or due within 7 days, on the home page, without values."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.health.alerts import alerts
from dangjian.health.followups import FIRST_CONTACT_DAYS
from dangjian.health.models import FollowUp
from dangjian.testing import make_member

from .results import YEAR, make_result

pytestmark = pytest.mark.django_db


def follow_up(person, officer, *, assigned_days_ago=0, next_in=None, contacted=True, status="open"):
    today = timezone.localdate()
    return FollowUp.objects.create(
        person=person,
        year=YEAR,
        assigned_to=officer,
        assigned_on=today - timedelta(days=assigned_days_ago),
        last_contact_on=today - timedelta(days=1) if contacted else None,
        next_check_on=today + timedelta(days=next_in) if next_in is not None else None,
        status=status,
    )


def test_late_checks_and_first_contacts_then_those_due_within_7_days(world):
    t, ho1, ho_all = world["t"], world["ho1"], world["ho_all"]
    today = timezone.localdate()
    p = {n: make_member(t.branch1, n, department=t.dept1) for n in "甲乙丙丁戊己庚辛"}
    follow_up(p["甲"], ho1, next_in=-1)  # check late
    follow_up(p["乙"], ho1, assigned_days_ago=FIRST_CONTACT_DAYS + 2, contacted=False)  # first contact late
    follow_up(p["丙"], ho1, next_in=3)  # due soon
    follow_up(p["丁"], ho1, assigned_days_ago=FIRST_CONTACT_DAYS - 4, contacted=False)  # first contact in 4 days
    follow_up(p["戊"], ho1, next_in=30)  # not yet
    follow_up(p["己"], ho1, next_in=-5, status="closed")  # closed
    follow_up(p["庚"], ho_all, next_in=-5)  # someone else's
    follow_up(p["辛"], ho1, contacted=False)  # assigned today: 14 days to go
    got = alerts(ho1, today)
    assert [(a.level, a.text[0]) for a in got] == [("late", "乙"), ("late", "甲"), ("due", "丙"), ("due", "丁")]
    assert "复查已超期" in got[1].text and "首次联系已超期" in got[0].text
    assert got[1].link == reverse("health:follow_up", args=[p["甲"].pk, YEAR])
    assert alerts(ho1, today, limit=1)[0].text.startswith("乙")


def test_texts_carry_no_health_values(world):
    ho1, p1 = world["ho1"], world["p1"]
    make_result(p1, by=ho1, cvd=17.77, gastric=19)
    follow_up(p1, ho1, next_in=-1)
    (alert,) = alerts(ho1, timezone.localdate())
    assert "张一" in alert.text and "健康随访" in alert.text
    for value in ("17.7", "19", "高危", "胃"):
        assert value not in alert.text


def test_roles_without_health_values_get_no_alerts(world):
    follow_up(world["p1"], world["ho1"], next_in=-1)
    for who in ("sec1", "leader"):
        assert alerts(world[who], timezone.localdate()) == []


def test_query_count_is_constant(world):
    t, ho1 = world["t"], world["ho1"]
    today = timezone.localdate()

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            alerts(ho1, today)
        return len(q)

    follow_up(world["p1"], ho1, next_in=-1)
    alerts(ho1, today)  # scope cached on the user object, as on a request
    small = count()
    for i in range(20):
        follow_up(make_member(t.branch1, f"多{i}"), ho1, next_in=i - 10)
    assert count() == small


def test_home_page_lists_the_officers_overdue_follow_ups(client, world):
    follow_up(world["p1"], world["ho1"], next_in=-2)
    client.force_login(world["ho1"])
    html = client.get(reverse("core:home")).content.decode()
    assert "待办提醒" in html and "张一" in html and "复查已超期" in html
    assert reverse("health:follow_up", args=[world["p1"].pk, YEAR]) in html
    client.force_login(world["ho2"])
    assert "复查已超期" not in client.get(reverse("core:home")).content.decode()
