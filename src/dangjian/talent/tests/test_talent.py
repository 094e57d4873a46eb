from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.talent import services
from dangjian.talent.models import (
    ClassStudent,
    MentorshipStatus,
    ReserveStatus,
    SecretaryReserve,
    StudentResult,
)
from dangjian.testing import make_member, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    from dangjian.testing import make_tree

    t = make_tree()
    a = make_member(t.branch1, "甲", department=t.dept1)
    b = make_member(t.branch1, "乙", department=t.dept1)
    c = make_member(t.branch2, "丙", department=t.dept2)
    office = make_user("office", "office", t.root)
    sec = make_user("sec", "secretary", t.branch1, person=a)
    sec2 = make_user("sec2", "secretary", t.branch2, person=c)
    member = make_user("mem", "member", t.branch1, person=b, subtree=False)
    return t, a, b, c, office, sec, sec2, member


def nominate(office, t, person, **extra):
    data = {
        "organization": t.branch1,
        "person": person,
        "nominated_on": date(2026, 1, 5),
        "criteria": "政治坚定，业务骨干",
        "target": t.branch1,
        **extra,
    }
    return services.nominate(office, data)


def test_a_member_enters_the_reserve_once_and_is_ready_after_a_passed_assessment(world):
    t, a, b, c, office, sec, sec2, member = world
    row = nominate(office, t, b)
    with pytest.raises(ValidationError, match="已在储备库中"):
        nominate(office, t, b)
    outsider = make_person("群众丁", department=t.dept1)
    with pytest.raises(ValidationError, match="应为正式或预备党员"):
        nominate(office, t, outsider)
    with pytest.raises(ValidationError, match="最近一次考察结果为优秀或合格后"):
        services.move_reserve(office, row.pk, ReserveStatus.READY, date(2026, 6, 1))
    with pytest.raises(ValidationError, match="考察记录请选择考察结果"):
        services.add_reserve_record(
            office, row.pk, {"kind": "assessment", "held_on": date(2026, 5, 1), "title": "年中考察"}
        )
    services.add_reserve_record(
        office, row.pk, {"kind": "training", "held_on": date(2026, 3, 1), "title": "支部书记示范培训班"}
    )
    services.add_reserve_record(
        office,
        row.pk,
        {"kind": "assessment", "held_on": date(2026, 5, 1), "title": "年中考察", "rating": "competent"},
    )
    services.move_reserve(office, row.pk, ReserveStatus.READY, date(2026, 6, 1))
    with pytest.raises(ValidationError, match="请填写退出储备库的原因"):
        services.move_reserve(office, row.pk, ReserveStatus.REMOVED, date(2026, 7, 1))
    services.move_reserve(office, row.pk, ReserveStatus.APPOINTED, date(2026, 9, 1), "当选第三党支部书记")
    row.refresh_from_db()
    assert (row.status, row.status_on) == (ReserveStatus.APPOINTED, date(2026, 9, 1))
    with pytest.raises(ValidationError, match="不能改为"):
        services.move_reserve(office, row.pk, ReserveStatus.REMOVED, date(2026, 10, 1), "调离")
    # appointed: the person may be nominated again later (the constraint covers the open statuses only)
    assert nominate(office, t, b).pk != row.pk
    assert AuditEvent.objects.filter(object_type="talent.secretaryreserve").count() >= 4


def test_the_reserve_is_the_committee_offices_a_secretary_neither_nominates_nor_sees_another_branch(client, world):
    t, a, b, c, office, sec, sec2, member = world
    with pytest.raises(Exception):  # noqa: B017 - 404 from the scope re-check
        nominate(sec, t, b)
    row = nominate(office, t, b)
    client.force_login(sec2)
    assert client.get(reverse("talent:reserve_detail", args=[row.pk])).status_code == 404
    assert client.get(reverse("talent:reserve_add")).status_code == 404
    client.force_login(member)  # their own record: yes; the nominate page: no
    assert client.get(reverse("talent:reserve_detail", args=[row.pk])).status_code == 200
    client.force_login(office)
    page = client.get(reverse("talent:reserve_list"), {"status": "candidate", "q": "乙"})
    assert "乙" in page.content.decode()
    response = client.post(
        reverse("talent:reserve_move", args=[row.pk]), {"status": "ready", "on": "2026-06-01"}, follow=True
    )
    assert "最近一次考察结果为优秀或合格后" in response.content.decode()


def test_the_reserve_list_keeps_its_query_count(client, world):
    t, a, b, c, office, sec, sec2, member = world
    nominate(office, t, b)
    client.force_login(office)
    url = reverse("talent:reserve_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(4):
        nominate(office, t, make_member(t.branch1, f"储{i}", department=t.dept1))
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).content.decode().count("储") >= 4
    assert len(five) == len(one)


def test_a_mentorship_is_reviewed_and_closed_with_its_outcome(client, world):
    t, a, b, c, office, sec, sec2, member = world
    data = {
        "organization": t.branch1,
        "mentor": a,
        "apprentice": b,
        "starts_on": date(2026, 2, 1),
        "ends_on": date(2027, 2, 1),
        "goals": "一年内独立主持校准方法研究",
    }
    with pytest.raises(ValidationError, match="不能是同一人"):
        services.pair(sec, {**data, "apprentice": a})
    with pytest.raises(ValidationError, match="应晚于结对日期"):
        services.pair(sec, {**data, "ends_on": date(2026, 1, 1)})
    m = services.pair(sec, data)
    with pytest.raises(ValidationError, match="已在带教中"):
        services.pair(sec, data)
    with pytest.raises(Exception):  # noqa: B017 - another branch's secretary: out of scope
        services.review_mentorship(sec2, m.pk, {"reviewed_on": date(2026, 6, 1), "progress": "好", "rating": "good"})
    services.review_mentorship(
        sec, m.pk, {"reviewed_on": date(2026, 6, 1), "progress": "完成两项校准", "rating": "good"}
    )
    with pytest.raises(ValidationError, match="请填写带教成效"):
        services.close_mentorship(sec, m.pk, MentorshipStatus.COMPLETED, date(2026, 12, 1), " ")
    services.close_mentorship(sec, m.pk, MentorshipStatus.COMPLETED, date(2026, 12, 1), "独立主持项目一项")
    m.refresh_from_db()
    assert m.status == MentorshipStatus.COMPLETED
    with pytest.raises(ValidationError, match="带教已结束"):
        services.review_mentorship(sec, m.pk, {"reviewed_on": date(2026, 12, 2), "progress": "x", "rating": "good"})
    client.force_login(member)  # the apprentice sees their own pair
    assert client.get(reverse("talent:mentorship_detail", args=[m.pk])).status_code == 200
    client.force_login(sec2)
    assert client.get(reverse("talent:mentorship_detail", args=[m.pk])).status_code == 404


def test_a_class_graduates_those_who_attended_enough(client, world):
    t, a, b, c, office, sec, sec2, member = world
    klass = services.open_class(
        office,
        {
            "organization": t.branch1,
            "name": "2026年青马班",
            "starts_on": date(2026, 3, 1),
            "ends_on": date(2026, 11, 30),
            "required_rate": 75,
        },
    )
    sa = services.enroll(office, klass.pk, a, date(2026, 3, 1))
    sb = services.enroll(office, klass.pk, b, date(2026, 3, 1))
    with pytest.raises(ValidationError, match="已是本班学员"):
        services.enroll(office, klass.pk, b, date(2026, 3, 2))
    with pytest.raises(ValidationError, match="本班还没有上课记录"):
        services.graduate(office, klass.pk, date(2026, 12, 1))
    with pytest.raises(ValidationError, match="应在开班日期与结业日期之间"):
        services.add_session(office, klass.pk, {"held_on": date(2026, 12, 5), "topic": "x", "lecturer": ""}, [])
    for month in (3, 4, 5, 6):  # b misses two of four: 50 % < 75 %
        services.add_session(
            office,
            klass.pk,
            {"held_on": date(2026, month, 10), "topic": f"第{month}讲", "lecturer": "党校教师"},
            [sb.pk] if month in (4, 6) else [],
        )
    assert services.attendance(klass) == {sa.pk: (4, 4), sb.pk: (2, 4)}
    with pytest.raises(ValidationError, match="前不能办理结业"):
        services.graduate(office, klass.pk, date(2026, 11, 1))
    assert services.graduate(office, klass.pk, date(2026, 12, 1)) == {"graduated": 1, "not_graduated": 1}
    assert dict(ClassStudent.objects.values_list("person__name", "result")) == {
        "甲": StudentResult.GRADUATED,
        "乙": StudentResult.NOT_GRADUATED,
    }
    client.force_login(office)
    page = client.get(reverse("talent:class_detail", args=[klass.pk])).content.decode()
    assert "50%" in page and "100%" in page
    client.force_login(member)  # a student sees their own line only
    page = client.get(reverse("talent:class_detail", args=[klass.pk])).content.decode()
    assert "50%" in page and "100%" not in page
    client.force_login(sec2)
    assert client.get(reverse("talent:class_detail", args=[klass.pk])).status_code == 404


def test_the_session_page_records_absences_from_the_form(client, world):
    t, a, b, c, office, sec, sec2, member = world
    klass = services.open_class(
        office,
        {
            "organization": t.branch1,
            "name": "青马班",
            "starts_on": date(2026, 3, 1),
            "ends_on": date(2026, 11, 30),
            "required_rate": 80,
        },
    )
    services.enroll(office, klass.pk, a, date(2026, 3, 1))
    sb = services.enroll(office, klass.pk, b, date(2026, 3, 1))
    client.force_login(office)
    url = reverse("talent:class_session_add", args=[klass.pk])
    response = client.post(url, {"held_on": "2026-04-01", "topic": "党史专题", "lecturer": "", "absent": [sb.pk]})
    assert response.status_code == 302
    assert list(klass.sessions.get().absent.values_list("pk", flat=True)) == [sb.pk]
    response = client.post(url, {"held_on": "2025-04-01", "topic": "x"})
    assert "应在开班日期与结业日期之间" in response.content.decode()


def test_nothing_is_deleted_by_the_reserve_moves(world):
    t, a, b, c, office, sec, sec2, member = world
    row = nominate(office, t, b)
    services.move_reserve(office, row.pk, ReserveStatus.REMOVED, date(2026, 7, 1), "调离本单位")
    assert SecretaryReserve.objects.filter(pk=row.pk, status="removed").exists()


def test_a_class_takes_no_student_after_its_last_day_and_offers_graduation_only_then(client, world):
    t, a, b, c, office, sec, sec2, member = world
    klass = services.open_class(
        office,
        {
            "organization": t.branch1,
            "name": "往期青马班",
            "starts_on": date(2020, 3, 1),
            "ends_on": date(2020, 11, 30),
            "required_rate": 80,
        },
    )
    with pytest.raises(ValidationError, match="已于2020-11-30结业，不能再入班"):
        services.enroll(office, klass.pk, a, date(2020, 12, 1))
    client.force_login(office)
    page = client.get(reverse("talent:class_detail", args=[klass.pk])).content.decode()
    assert 'id="enroll-form"' not in page and 'id="graduate-form"' in page
