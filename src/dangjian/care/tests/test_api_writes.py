"""The care router's hardship register and practical matters: reads in scope (the hardship itself only for one
entry), and the page's writes through the same services (Chinese refusals, audit on the api channel), 404 outside
the scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.accounts.models import ApiToken
from dangjian.audit.models import AuditEvent
from dangjian.care import hardship, matter_services
from dangjian.care.models import HardshipEntry, Milestone, PracticalMatter, Support
from dangjian.core import context
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def world():
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", department=t.dept1)
    p1b = make_member(t.branch1, "甲二", department=t.dept1)
    p2 = make_member(t.branch2, "乙二", department=t.dept2)
    sec1 = make_user("sec1", "secretary", t.branch1, person=p1)
    sec2 = make_user("sec2", "secretary", t.branch2, person=p2)
    return t, p1, p1b, p2, sec1, sec2


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def _post(client, user, url, body, method="post"):
    return getattr(client, method)(f"/api/v1/care/{url}", body, content_type=JSON, **auth(user))


def _today(days_ago: int = 0) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def test_a_hardship_entry_is_registered_supported_and_closed_audited_on_the_api_channel(client, world):
    t, p1, p1b, p2, sec1, sec2 = world
    r = _post(client, sec1, "hardship", {"person_id": p1b.pk, "registered_on": _today(10), "reason": "家属重病"})
    assert r.status_code == 201, r.content
    entry = HardshipEntry.objects.get()
    assert r.json()["reason"] == "家属重病" and r.json()["supports"] == []
    support = {"given_on": _today(5), "kind": "cash", "amount": "2000.00", "given_by": "所工会"}
    r = _post(client, sec1, f"hardship/{entry.pk}/supports", support)
    assert r.status_code == 201 and r.json()["support_count"] == 1 and r.json()["support_total"] == "2000.00"
    r = _post(client, sec1, f"hardship/{entry.pk}/close", {"closed_on": _today()})
    assert r.status_code == 200 and r.json()["closed_on"] == _today()
    events = AuditEvent.objects.filter(object_type__in=["care.hardshipentry", "care.support"])
    assert events.count() == 3 and set(events.values_list("channel", flat=True)) == {"api"}


def test_the_hardship_list_never_carries_the_hardship_and_is_scoped(client, world):
    t, p1, p1b, p2, sec1, sec2 = world
    today = timezone.localdate()
    with context.acting(sec1):
        open_entry = hardship.register(sec1, p1b.pk, today, "家属重病")
        closed = hardship.register(sec1, p1.pk, today - timedelta(days=30), "房屋受灾")
        hardship.close_entry(sec1, closed.pk, today)
    with context.acting(sec2):
        hardship.register(sec2, p2.pk, today, "子女上学")
    body = client.get("/api/v1/care/hardship", **auth(sec1)).json()
    assert body["count"] == 2 and all("reason" not in e for e in body["items"])
    assert "家属重病" not in str(body)
    r = client.get("/api/v1/care/hardship?state=open", **auth(sec1)).json()
    assert [e["id"] for e in r["items"]] == [open_entry.pk]
    assert client.get("/api/v1/care/hardship?q=甲二", **auth(sec1)).json()["count"] == 1
    assert client.get("/api/v1/care/hardship?state=closed", **auth(sec1)).status_code == 422
    assert client.get(f"/api/v1/care/hardship/{open_entry.pk}", **auth(sec2)).status_code == 404


def test_hardship_writes_are_refused_in_chinese_and_404_outside_the_scope(client, world):
    t, p1, p1b, p2, sec1, sec2 = world
    r = _post(client, sec1, "hardship", {"person_id": p2.pk, "registered_on": _today(), "reason": "x"})
    assert r.status_code == 422 and r.json()["detail"][0]["message"] == "人员不存在或不在您的管理范围内"
    r = _post(client, sec1, "hardship", {"person_id": p1b.pk, "registered_on": _today(), "reason": " "})
    assert r.status_code == 422 and r.json()["detail"] == [{"field": "reason", "message": "请填写困难情况"}]
    with context.acting(sec1):
        entry = hardship.register(sec1, p1b.pk, timezone.localdate() - timedelta(days=3), "家属重病")
    late = {"given_on": _today(-1), "kind": "cash", "amount": "1", "given_by": "工会"}
    r = _post(client, sec1, f"hardship/{entry.pk}/supports", late)
    assert r.status_code == 422 and r.json()["detail"][0]["message"] == "帮扶日期不能晚于今天"
    r = _post(client, sec1, f"hardship/{entry.pk}/supports", {**late, "given_on": _today(), "kind": "gold"})
    assert r.status_code == 422 and r.json()["detail"][0]["message"].startswith("无效的取值")
    for url, body in [
        (f"hardship/{entry.pk}/supports", {**late, "given_on": _today()}),
        (f"hardship/{entry.pk}/close", {"closed_on": _today()}),
        (f"hardship/{entry.pk}/withdraw", {"reason": "误登记"}),
    ]:
        assert _post(client, sec2, url, body).status_code == 404, url
    assert not Support.objects.exists() and HardshipEntry.objects.get().closed_on is None


def test_a_hardship_entry_recorded_by_mistake_is_withdrawn_not_erased(client, world):
    t, p1, p1b, p2, sec1, sec2 = world
    with context.acting(sec1):
        entry = hardship.register(sec1, p1b.pk, timezone.localdate(), "家属重病")
    assert _post(client, sec1, f"hardship/{entry.pk}/withdraw", {"reason": " "}).status_code == 422
    r = _post(client, sec1, f"hardship/{entry.pk}/withdraw", {"reason": "误登记"})
    assert r.status_code == 204
    assert HardshipEntry.all_objects.get(pk=entry.pk).deleted_at is not None
    assert client.get(f"/api/v1/care/hardship/{entry.pk}", **auth(sec1)).status_code == 404
    event = AuditEvent.objects.get(action="delete", object_type="care.hardshipentry")
    assert event.channel == "api" and event.detail["reason"] == "误登记"


def _matter_body(t, owner, **extra):
    return {"organization_id": t.branch1.pk, "owner_id": owner.pk, "title": "职工食堂改造", "year": 2026, **extra}


def test_a_practical_matter_is_created_edited_and_its_milestone_completed(client, world):
    t, p1, p1b, p2, sec1, sec2 = world
    r = _post(client, sec1, "matters", _matter_body(t, p1b, beneficiary_count=120))
    assert r.status_code == 201, r.content
    matter = PracticalMatter.objects.get()
    assert (r.json()["owner_name"], r.json()["status"], r.json()["beneficiary_count"]) == ("甲二", "planned", 120)
    r = _post(client, sec1, f"matters/{matter.pk}", _matter_body(t, p1b, status="active"), method="put")
    assert r.status_code == 200 and r.json()["status"] == "active"
    r = _post(client, sec1, f"matters/{matter.pk}/milestones", {"title": "方案评审", "planned_on": _today(-10)})
    assert r.status_code == 201 and r.json()["milestone_count"] == 1
    milestone = Milestone.objects.get()
    r = _post(client, sec1, f"milestones/{milestone.pk}/done", {"done_on": _today()})
    assert r.status_code == 200 and r.json()["milestones"][0]["done_on"] == _today()
    assert r.json()["milestones_done"] == 1
    channels = AuditEvent.objects.filter(object_type__in=["care.practicalmatter", "care.milestone"])
    assert channels.count() == 4 and set(channels.values_list("channel", flat=True)) == {"api"}


def test_practical_matter_writes_check_scope_and_answer_in_chinese(client, world):
    t, p1, p1b, p2, sec1, sec2 = world
    other_branch = {**_matter_body(t, p2), "organization_id": t.branch2.pk}
    assert _post(client, sec1, "matters", other_branch).status_code == 404
    r = _post(client, sec1, "matters", _matter_body(t, p2))
    assert r.status_code == 422 and r.json()["detail"] == [
        {"field": "owner", "message": "负责人不存在或不在您的管理范围内"}
    ]
    r = _post(client, sec1, "matters", _matter_body(t, p1, title=" "))
    assert r.status_code == 422 and r.json()["detail"] == [{"field": "title", "message": "请填写项目名称"}]
    r = _post(client, sec1, "matters", _matter_body(t, p1, title="长" * 201))
    assert r.status_code == 422 and r.json()["detail"][0]["message"] == "内容过长"
    with context.acting(sec1):
        matter = matter_services.save_matter(
            sec1, None, {"organization": t.branch1, "owner": p1, "title": "项目", "year": 2026}
        )
        milestone = matter_services.add_milestone(sec1, matter.pk, "节点", timezone.localdate())
    for url, body, method in [
        (f"matters/{matter.pk}", _matter_body(t, p1), "put"),
        (f"matters/{matter.pk}/milestones", {"title": "x", "planned_on": _today()}, "post"),
        (f"milestones/{milestone.pk}/done", {"done_on": _today()}, "post"),
        (f"matters/{matter.pk}/withdraw", {"reason": "误登记"}, "post"),
    ]:
        assert _post(client, sec2, url, body, method=method).status_code == 404, url
    assert client.get(f"/api/v1/care/matters/{matter.pk}", **auth(sec2)).status_code == 404
    r = _post(client, sec1, f"matters/{matter.pk}/withdraw", {"reason": "误登记"})
    assert r.status_code == 204 and PracticalMatter.all_objects.get().deleted_at is not None
    assert _post(client, sec1, f"milestones/{milestone.pk}/done", {"done_on": _today()}).status_code == 404


def test_practical_matters_are_listed_by_year_in_scope(client, world):
    t, p1, p1b, p2, sec1, sec2 = world
    year = timezone.localdate().year
    with context.acting(sec1):
        for title, y in [("今年项目", year), ("去年项目", year - 1)]:
            matter_services.save_matter(sec1, None, {"organization": t.branch1, "owner": p1, "title": title, "year": y})
    with context.acting(sec2):
        matter_services.save_matter(
            sec2, None, {"organization": t.branch2, "owner": p2, "title": "乙项目", "year": year}
        )
    assert [m["title"] for m in client.get("/api/v1/care/matters", **auth(sec1)).json()["items"]] == ["今年项目"]
    r = client.get(f"/api/v1/care/matters?year={year - 1}", **auth(sec1)).json()
    assert [m["title"] for m in r["items"]] == ["去年项目"]
    assert client.get(f"/api/v1/care/matters?organization={t.branch2.pk}", **auth(sec1)).status_code == 404
    assert client.get("/api/v1/care/matters?status=done", **auth(sec1)).json()["count"] == 0


def test_the_hardship_and_matter_lists_take_the_same_queries_for_one_row_or_many(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t, p1, p1b, p2, sec1, sec2 = world
    headers = auth(sec1)
    year = timezone.localdate().year

    def counts():
        out = []
        for url in ("/api/v1/care/hardship", "/api/v1/care/matters"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, **headers).status_code == 200
            out.append(len(queries))
        return out

    with context.acting(sec1):
        hardship.register(sec1, p1.pk, timezone.localdate(), "困难")
        matter_services.save_matter(sec1, None, {"organization": t.branch1, "owner": p1, "title": "一", "year": year})
    one = counts()
    with context.acting(sec1):
        hardship.register(sec1, p1b.pk, timezone.localdate(), "困难")
        for title in ("二", "三"):
            matter = matter_services.save_matter(
                sec1, None, {"organization": t.branch1, "owner": p1b, "title": title, "year": year}
            )
            matter_services.add_milestone(sec1, matter.pk, "节点", timezone.localdate())
    assert counts() == one
