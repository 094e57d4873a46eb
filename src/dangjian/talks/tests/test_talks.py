from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.meetings import services
from dangjian.people.models import Person
from dangjian.talks import services as talk_services
from dangjian.talks.figures import with_hours
from dangjian.talks.models import ContactPoint, HourRate, Talk
from dangjian.testing import login_with_second_factor, make_member, make_tree, make_user

from .study_days import add_study_days

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def world():
    t = make_tree()
    a = make_member(t.branch1, "甲")
    b = make_member(t.branch1, "乙")
    c = make_member(t.branch2, "丙")
    sec = make_user("sec", "secretary", t.branch1, person=a)
    office = make_user("office", "office", t.root)
    return t, a, b, c, sec, office


def held(sec, org, kind, when, present):
    m = services.plan_meeting(
        sec, org.pk, {"kind": kind, "title": "学习", "starts_at": when, "ends_at": when + timedelta(hours=2)}
    )
    services.mark_held(sec, m.pk)
    services.set_attendance(sec, m.pk, {p.pk: ("present", "") for p in present})
    return m


def test_hours_come_from_attendance_rates_and_study_records(world):
    t, a, b, c, sec, office = world
    held(sec, t.branch1, "lecture", datetime(2025, 3, 1, 9, tzinfo=TZ), [a, b])
    held(sec, t.branch1, "theme_day", datetime(2025, 12, 31, 20, tzinfo=TZ), [a])  # last evening of the year counts
    held(sec, t.branch1, "theme_day", datetime(2026, 1, 1, 9, tzinfo=TZ), [a])  # next year
    add_study_days(sec, b, date(2025, 6, 1), 30, "网络学院")
    rows = {p.name: p for p in with_hours(Person.objects.all(), 2025)}
    assert rows["甲"].hours == Decimal("6.0")  # lecture 3 + theme day 3
    assert rows["乙"].hours == Decimal("33.0")
    assert rows["丙"].hours == Decimal("0")
    talk_services.set_hour_rates(office, {"lecture": Decimal("4.0")})
    assert HourRate.objects.get(kind="lecture").hours == Decimal("4.0")
    assert {p.name: p.hours for p in with_hours(Person.objects.all(), 2025)}["甲"] == Decimal("7.0")


def test_the_hours_page_flags_members_under_32_and_keeps_its_query_count(client, world):
    t, a, b, c, sec, office = world
    client.force_login(sec)
    url = reverse("life:hours") + "?year=2025"
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "甲" in html and "丙" not in html and "不足" in html
    for i in range(20):
        make_member(t.branch1, f"新{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_talk_coverage_and_scope(client, world):
    t, a, b, c, sec, office = world
    from django.core.exceptions import ValidationError

    talk_services.record_talk(
        sec, {"organization": t.branch1, "talker": a, "talkee": b, "held_on": date(2026, 5, 1), "topics": "工作"}
    )
    with pytest.raises(ValidationError):
        talk_services.record_talk(
            sec, {"organization": t.branch1, "talker": a, "talkee": c, "held_on": date(2026, 5, 1), "topics": "x"}
        )
    client.force_login(sec)
    html = client.get(reverse("life:talks") + "?year=2026").content.decode()
    assert "一支部" in html and "二支部" not in html
    assert Talk.objects.visible_to(make_user("sec2", "secretary", t.branch2)).count() == 0


def test_contact_points_visits_and_dual_life(client, world):
    t, a, b, c, sec, office = world
    leader = make_user("leader", "leader", t.root, person=b)
    point = talk_services.assign_contact_point(
        office, {"leader": b, "organization": t.branch2, "since": date(2026, 1, 1), "until": None}
    )
    talk_services.record_visit(leader, point.pk, {"visited_on": date(2026, 4, 2), "summary": "调研", "issues": ""})
    held(sec, t.branch1, "members_meeting", datetime(2026, 3, 3, 9, tzinfo=TZ), [a, b])
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        talk_services.assign_contact_point(
            sec, {"leader": b, "organization": t.branch1, "since": date(2026, 1, 1), "until": None}
        )
    client.force_login(leader)
    html = client.get(reverse("life:contact_points") + "?year=2026").content.decode()
    assert "二支部" in html
    row = [r for r in html.split("<tr>") if "二支部" in r][0]
    assert '<span class="badge late">1</span>' in row  # 1 visit, rule asks 2
    assert "<td>1</td>" in row  # attended one meeting at own branch
    assert ContactPoint.objects.count() == 1


def test_talk_coverage_counts_members_talked_with_as_often_as_the_rule_asks(world):
    from dangjian.people.models import Membership
    from dangjian.talks.figures import talk_coverage

    t, a, b, c, sec, office = world
    for day in (1, 2):
        talk_services.record_talk(
            sec, {"organization": t.branch1, "talker": a, "talkee": b, "held_on": date(2026, 5, day), "topics": "工作"}
        )
    talk_services.record_talk(
        sec, {"organization": t.branch1, "talker": b, "talkee": a, "held_on": date(2026, 5, 3), "topics": "工作"}
    )
    memberships = Membership.objects.current().filter(organization=t.branch1)
    once, twice, thrice = (talk_coverage(memberships, 2026, n)[0] for n in (1, 2, 3))
    assert (once["members"], once["covered"]) == (2, 2)
    assert (twice["covered"], twice["missing"]) == (1, 1)
    assert (thrice["covered"], thrice["missing"]) == (0, 2)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_create_pages_write_through_the_service_and_say_so(client, world):
    t, a, b, c, sec, office = world
    client.force_login(sec)
    study = {"person": a.pk, "studied_on": "2026-03-01", "title": "网络学院", "hours": "4"}
    response = client.post(reverse("life:study_create"), study, follow=True)
    assert response.redirect_chain[-1][0] == reverse("life:hours")
    assert _messages(response) == ["学习记录已登记"]
    talk = {"organization": t.branch1.pk, "talker": a.pk, "talkee": b.pk, "held_on": "2026-03-02", "topics": "工作"}
    response = client.post(reverse("life:talk_create"), talk, follow=True)
    assert response.redirect_chain[-1][0] == reverse("life:talks") and _messages(response) == ["谈心谈话已记录"]
    assert Talk.objects.get().topics == "工作"


def test_a_services_refusal_shows_on_the_form_field_it_names(client, world):
    t, a, b, c, sec, office = world
    make_user("leader", "leader", t.root, person=b)
    login_with_second_factor(client, office)
    point = {"leader": b.pk, "organization": t.branch2.pk, "since": "2026-05-01", "until": "2026-04-01"}
    response = client.post(reverse("life:contact_point_create"), point)
    assert response.status_code == 200
    assert response.context["form"].errors == {"until": ["结束日期不能早于起始日期"]}
    assert not ContactPoint.objects.exists()
    rates = {rate.kind: rate.hours for rate in HourRate.objects.all()} | {"lecture": "4.0"}
    response = client.post(reverse("life:hour_rates"), rates, follow=True)
    assert _messages(response) == ["已更新 1 项学时标准"]
