"""The appraisal router's writes: the vote started, grades proposed and confirmed by those who run the appraisal; a
member's own self-review and anonymous ratings. Through the page's services (stage checks, Chinese refusals, audit
on the api channel); the answers give counts, never who rated what."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.accounts.models import ApiToken
from dangjian.appraisal import services
from dangjian.appraisal.models import Appraisal, MutualRating, Participant
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.meetings import services as meeting_services
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def world():
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", department=t.dept1)
    p1b = make_member(t.branch1, "甲二", department=t.dept1)
    p1c = make_member(t.branch1, "甲三", department=t.dept1)
    p2 = make_member(t.branch2, "乙二", department=t.dept2)
    users = {
        "sec1": make_user("sec1", "secretary", t.branch1, person=p1),
        "sec2": make_user("sec2", "secretary", t.branch2, person=p2),
        "member": make_user("m1b", "member", t.branch1, person=p1b),
        "outsider": make_user("m2", "member", t.branch2),
    }
    with context.acting(users["sec1"]):
        appraisal = services.open_appraisal(users["sec1"], t.branch1.pk, 2026)
    # opened a week ago: the members' meeting that confirms it (held yesterday) must not predate the opening
    Appraisal.objects.filter(pk=appraisal.pk).update(created_at=timezone.now() - timedelta(days=7))
    appraisal.refresh_from_db()
    return t, (p1, p1b, p1c, p2), users, appraisal


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def _call(client, user, url, body=None, method="post"):
    return getattr(client, method)(f"/api/v1/appraisals/{url}", body or {}, content_type=JSON, **auth(user))


def _held_members_meeting(sec, branch, people):
    start = timezone.now() - timedelta(days=1)
    with context.acting(sec):
        m = meeting_services.plan_meeting(
            sec, branch.pk, {"kind": "members_meeting", "title": "评议大会", "starts_at": start, "ends_at": start}
        )
        meeting_services.mark_held(sec, m.pk)
        meeting_services.set_attendance(sec, m.pk, {p.pk: ("present", "") for p in people})
        meeting_services.record_minutes(sec, m.pk, "<p>确认评议结果</p>", [])
    return m


def test_a_member_writes_a_self_review_and_rates_the_others_anonymously(client, world):
    t, (p1, p1b, p1c, p2), users, appraisal = world
    member = users["member"]
    r = _call(client, member, f"{appraisal.pk}/mine/self-review", {"text": "按时参加组织生活"}, method="put")
    assert r.status_code == 200 and r.json() == {
        "appraisal_id": appraisal.pk,
        "self_review": "按时参加组织生活",
        "rated": 0,
    }
    body = {"entries": [{"person_id": p1.pk, "grade": "excellent"}, {"person_id": p1c.pk, "grade": "qualified"}]}
    r = _call(client, member, f"{appraisal.pk}/mine/ratings", body, method="put")
    assert r.status_code == 200 and r.json()["rated"] == 2
    assert "excellent" not in r.content.decode() and "qualified" not in r.content.decode()
    assert client.get(f"/api/v1/appraisals/{appraisal.pk}/mine", **auth(member)).json()["rated"] == 2
    assert MutualRating.objects.count() == 2
    # the audit says that ratings were submitted, never which
    events = AuditEvent.objects.filter(object_type__startswith="appraisal.", channel="api")
    assert events.count() == 2 and "excellent" not in str(list(events.values_list("detail", "after")))
    # the secretary sees no tallies while members are rating, nor of fewer than 3 raters (issue 13 §3)
    body = client.get(f"/api/v1/appraisals/{appraisal.pk}", **auth(users["sec1"])).json()
    assert {row["mutual_review"] for row in body["participants"]} == {None}
    assert body["mutual_review_withheld"] == "互评进行中，结束后才显示汇总票数，以保护匿名"


def test_a_members_own_writes_are_refused_in_chinese_and_404_for_others(client, world):
    t, (p1, p1b, p1c, p2), users, appraisal = world
    member = users["member"]
    r = _call(client, member, f"{appraisal.pk}/mine/self-review", {"text": " "}, method="put")
    assert r.status_code == 422 and r.json()["detail"] == [{"field": "self_review", "message": "自评内容不能为空"}]
    r = _call(
        client, member, f"{appraisal.pk}/mine/ratings", {"entries": [{"person_id": p2.pk, "grade": "basic"}]}, "put"
    )
    assert r.status_code == 422 and r.json()["detail"][0]["message"] == "该人员未参加本次民主评议"
    r = _call(
        client, member, f"{appraisal.pk}/mine/ratings", {"entries": [{"person_id": p1b.pk, "grade": "basic"}]}, "put"
    )
    assert r.status_code == 422 and r.json()["detail"][0]["message"] == "只能评议本支部其他参评党员"
    r = _call(
        client, member, f"{appraisal.pk}/mine/ratings", {"entries": [{"person_id": p1.pk, "grade": "top"}]}, "put"
    )
    assert r.status_code == 422 and r.json()["detail"][0]["message"].startswith("无效的取值")
    for url in ("mine/self-review", "mine/ratings"):
        r = _call(client, users["outsider"], f"{appraisal.pk}/{url}", {"text": "x", "entries": []}, method="put")
        assert r.status_code == 404, url
    assert client.get(f"/api/v1/appraisals/{appraisal.pk}/mine", **auth(users["sec2"])).status_code == 404
    assert not MutualRating.objects.exists()


def test_the_branch_starts_the_vote_proposes_and_confirms_the_grades(client, world):
    t, (p1, p1b, p1c, p2), users, appraisal = world
    sec1 = users["sec1"]
    early = _call(client, sec1, f"{appraisal.pk}/grades", {"entries": []}, method="put")
    assert (
        early.status_code == 422
        and early.json()["detail"][0]["message"] == "当前阶段为「自评与互评中」，不能进行此操作"
    )
    r = _call(client, sec1, f"{appraisal.pk}/start-vote?confirm_missing=true")  # no self-review written
    assert r.status_code == 200 and r.json()["status"] == "voting"
    # mutual review closed two days ago: the members' meeting of yesterday may confirm
    Appraisal.objects.filter(pk=appraisal.pk).update(review_closed_at=timezone.now() - timedelta(days=2))
    grades = {"entries": [{"person_id": p.pk, "grade": "excellent"} for p in (p1, p1b, p1c)]}
    r = _call(client, sec1, f"{appraisal.pk}/grades", grades, method="put")
    assert r.status_code == 200 and r.json()["status"] == "proposed"
    assert r.json()["excellent_share_exceeded"] is True  # three of three above the institute's share
    assert {row["proposed_grade"] for row in r.json()["participants"]} == {"excellent"}
    missing = {"entries": [{"person_id": p1.pk, "grade": "qualified"}]}
    r = _call(client, sec1, f"{appraisal.pk}/grades", missing, method="put")
    assert r.status_code == 422 and r.json()["detail"][0]["message"] in ("请为甲二提出等次", "请为甲三提出等次")

    r = _call(client, sec1, f"{appraisal.pk}/confirm", {"meeting_id": 999999})
    assert r.status_code == 422 and r.json()["detail"] == [
        {"field": "meeting", "message": "请选择本支部已召开的党员大会"}
    ]
    meeting = _held_members_meeting(sec1, t.branch1, [p1, p1b, p1c])
    r = _call(client, sec1, f"{appraisal.pk}/confirm", {"meeting_id": meeting.pk})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "confirmed" and r.json()["final_grades"]["excellent"] == 3
    assert set(Participant.objects.values_list("final_grade", flat=True)) == {"excellent"}
    channels = AuditEvent.objects.filter(object_type="appraisal.appraisal").exclude(action="create")
    assert channels.count() == 3 and set(channels.values_list("channel", flat=True)) == {"api"}


def test_running_the_appraisal_is_404_outside_the_scope_and_for_a_member(client, world):
    t, (p1, p1b, p1c, p2), users, appraisal = world
    for user in (users["sec2"], users["member"]):
        assert _call(client, user, f"{appraisal.pk}/start-vote").status_code == 404
        assert _call(client, user, f"{appraisal.pk}/grades", {"entries": []}, method="put").status_code == 404
        assert _call(client, user, f"{appraisal.pk}/confirm", {"meeting_id": 1}).status_code == 404
    appraisal.refresh_from_db()
    assert appraisal.status == "open"
