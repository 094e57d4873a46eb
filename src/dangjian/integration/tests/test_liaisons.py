"""联席: a leader of the institute meets a branch; the branch's maintainers record it and its follow-up, which
reaches their home page when due; the count per leader sits beside their contact points and visits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.integration import joint_home, liaisons
from dangjian.integration.models import LeaderLiaison
from dangjian.orgs.models import CommitteePost, CommitteeTerm
from dangjian.talks.models import ContactPoint, ContactVisit
from dangjian.testing import login_with_second_factor, make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(personas):
    """The institute committee's secretary (a 党委 member of the sitting term), a member of 机关支部."""
    t = personas.tree
    person = make_member(t.office_branch, "党委书记")
    term = CommitteeTerm.objects.create(organization=t.root, elected_on=date(2024, 6, 1), ends_on=date(2029, 6, 1))
    CommitteePost.objects.create(term=term, person=person, post="secretary", order=0)
    return person


def _record(personas, leader, **data):
    values = {
        "leader": leader,
        "organization": personas.tree.branch1,
        "held_on": date(2026, 3, 2),
        "topics": "重点任务推进中的党建保障",
        "decisions": "成立党员突击队",
        "follow_up": "一个月内报送组建方案",
        "follow_up_due": date(2026, 4, 2),
        **data,
    }
    return liaisons.record_liaison(personas.secretary, values)


def test_a_branch_secretary_may_choose_the_institute_committees_members_and_leader_role_holders(personas, chief):
    deputy = make_member(personas.tree.branch2, "所长")
    make_user("director", "leader", personas.tree.root, person=deputy)
    make_member(personas.tree.branch1, "普通党员")
    offered = {p.name for p in liaisons.eligible_leaders(personas.secretary, date(2026, 3, 1))}
    assert offered == {"党委书记", "所长"}


def test_a_liaison_is_recorded_and_audited(personas, chief):
    from dangjian.audit.models import AuditEvent

    liaison = _record(personas, chief)
    assert liaison.created_by == personas.secretary
    assert AuditEvent.objects.filter(object_type__endswith="leaderliaison", object_id=str(liaison.pk)).exists()


def test_a_person_who_is_no_leader_is_refused_in_chinese(personas):
    someone = make_member(personas.tree.branch1, "普通党员")
    with pytest.raises(ValidationError) as exc:
        _record(personas, someone)
    assert "党委委员或持有领导角色账号的党员领导干部" in exc.value.message_dict["leader"][0]


def test_a_due_date_before_the_meeting_or_without_a_follow_up_is_refused(personas, chief):
    with pytest.raises(ValidationError) as exc:
        _record(personas, chief, follow_up_due=date(2026, 3, 1))
    assert exc.value.message_dict["follow_up_due"] == ["落实期限不能早于联席日期"]
    with pytest.raises(ValidationError) as exc:
        _record(personas, chief, follow_up="")
    assert "请写明跟进落实事项" in exc.value.message_dict["follow_up"][0]


def test_another_branchs_secretary_cannot_record_for_branch1_nor_open_it(client, personas, chief):
    with pytest.raises(Http404):
        liaisons.record_liaison(
            personas.other_secretary,
            {"leader": chief, "organization": personas.tree.branch1, "held_on": date(2026, 3, 2), "topics": "x"},
        )
    liaison = _record(personas, chief)
    login_with_second_factor(client, personas.other_secretary)
    for name in ("liaison_detail", "liaison_done"):
        assert client.get(reverse(f"integration:{name}", args=[liaison.pk])).status_code == 404
    assert "党委书记" not in client.get(reverse("integration:liaison_list") + "?year=2026").content.decode()


def test_marking_the_follow_up_done_once(personas, chief):
    liaison = _record(personas, chief)
    with pytest.raises(ValidationError) as exc:
        liaisons.mark_follow_up_done(personas.secretary, liaison.pk, date(2026, 3, 1))
    assert exc.value.message_dict["done_on"] == ["落实日期不能早于联席日期"]
    liaisons.mark_follow_up_done(personas.secretary, liaison.pk, date(2026, 3, 20))
    assert LeaderLiaison.objects.get(pk=liaison.pk).follow_up_done_on == date(2026, 3, 20)
    with pytest.raises(ValidationError) as exc:
        liaisons.mark_follow_up_done(personas.secretary, liaison.pk, date(2026, 3, 21))
    assert "已于 2026-03-20 落实" in exc.value.messages[0]


def test_the_create_page_and_the_done_confirmation(client, personas, chief):
    login_with_second_factor(client, personas.secretary)
    response = client.post(
        reverse("integration:liaison_create"),
        {
            "leader": chief.pk,
            "organization": personas.tree.branch1.pk,
            "held_on": "2026-03-02",
            "topics": "议题",
            "follow_up": "跟进",
            "follow_up_due": "2026-03-30",
        },
    )
    liaison = LeaderLiaison.objects.get()
    assert response["Location"] == reverse("integration:liaison_detail", args=[liaison.pk])
    response = client.post(reverse("integration:liaison_done", args=[liaison.pk]), {"done_on": "2026-03-10"})
    assert response.status_code == 302
    assert LeaderLiaison.objects.get().follow_up_done_on == date(2026, 3, 10)


def test_home_items_show_overdue_and_soon_due_follow_ups_to_the_units_maintainers(personas, chief):
    today = timezone.localdate()
    _record(personas, chief, held_on=today - timedelta(days=30), follow_up_due=today - timedelta(days=1))
    _record(personas, chief, held_on=today - timedelta(days=3), follow_up_due=today + timedelta(days=10))
    _record(personas, chief, held_on=today - timedelta(days=3), follow_up_due=today + timedelta(days=40))
    items = joint_home.home_items(personas.secretary, today)
    assert [i.level for i in items] == ["late", "due"]
    assert "党委书记" in items[0].text and "已逾期" in items[0].text
    assert joint_home.home_items(personas.other_secretary, today) == []
    assert joint_home.home_items(personas.member, today) == []


def test_home_items_keep_their_query_count_and_summarise_the_rest(personas, chief):
    today = timezone.localdate()
    user = personas.secretary
    joint_home.home_items(user, today)  # the user's scope is read once and kept
    _record(personas, chief, held_on=today - timedelta(days=30), follow_up_due=today - timedelta(days=2))
    with CaptureQueriesContext(connection) as one:
        assert len(joint_home.home_items(user, today)) == 1
    for _i in range(7):
        _record(personas, chief, held_on=today - timedelta(days=30), follow_up_due=today - timedelta(days=1))
    with CaptureQueriesContext(connection) as many:
        items = joint_home.home_items(user, today)
    assert len(many) <= len(one) + 1  # the "另有" line's count
    assert len(items) == joint_home.SHOWN + 1 and items[-1].count == 3 and items[-1].level == "late"


def test_the_count_per_leader_with_contact_points_and_visits(client, personas, chief):
    t = personas.tree
    _record(personas, chief)
    _record(personas, chief, held_on=date(2026, 5, 6), follow_up_due=date(2026, 6, 1))
    _record(personas, chief, held_on=date(2025, 5, 6), follow_up_due=None, follow_up="")
    point = ContactPoint.objects.create(leader=chief, organization=t.branch1, since=date(2025, 1, 1))
    ContactPoint.objects.create(leader=chief, organization=t.branch1, since=date(2020, 1, 1), until=date(2024, 1, 1))
    for d in (date(2026, 2, 1), date(2026, 6, 1), date(2025, 6, 1)):
        ContactVisit.objects.create(contact_point=point, visited_on=d, summary="调研", created_by=personas.office)
    rows = liaisons.per_leader(personas.secretary, 2026)
    assert [(r.leader.name, r.liaisons, r.points, r.visits) for r in rows] == [("党委书记", 2, 1, 2)]
    login_with_second_factor(client, personas.secretary)
    url = reverse("integration:liaison_leaders") + "?year=2026"
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for i in range(2):
        other = make_member(t.branch1, f"领导{i}")
        ContactPoint.objects.create(leader=other, organization=t.branch1, since=date(2026, 1, 1))
        LeaderLiaison.objects.create(
            leader=other, organization=t.branch1, held_on=date(2026, 7, 1), topics="t", created_by=personas.secretary
        )
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert len(three) == len(one)
    assert len(response.context["page"].object_list) == 3
    # branch B's secretary sees none of branch A's
    assert liaisons.per_leader(personas.other_secretary, 2026) == []


def test_the_list_filters_by_follow_up_state(client, personas, chief):
    _record(personas, chief, topics="甲议题", follow_up_due=date(2026, 3, 10))
    done = _record(personas, chief, topics="乙议题")
    liaisons.mark_follow_up_done(personas.secretary, done.pk, date(2026, 3, 5))
    login_with_second_factor(client, personas.secretary)
    url = reverse("integration:liaison_list")
    overdue = client.get(url, {"year": 2026, "state": "overdue"}).context["page"].object_list
    assert [li.topics for li in overdue] == ["甲议题"]
    finished = client.get(url, {"year": 2026, "state": "done"}).context["page"].object_list
    assert [li.topics for li in finished] == ["乙议题"]
    found = client.get(url, {"year": 2026, "q": "乙"}).context["page"].object_list
    assert [li.topics for li in found] == ["乙议题"]
