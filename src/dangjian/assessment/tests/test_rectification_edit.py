"""三张清单, the rest of issue 14 §3: the seeded deadline is a setting of the rule store; the 责任人 is a person of the
unit, chosen from the unit's members and checked again by the service; an open item is corrected by whoever keeps the
unit's lists, each change audited field by field; the list as an API, scoped like the pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import ApiToken
from dangjian.assessment import rectifications
from dangjian.assessment.models import Rectification, RectificationStatus
from dangjian.assessment.rule_data import RECTIFICATION_DAYS
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.rules import services as rule_store
from dangjian.testing import make_member

from .test_rectifications import world  # noqa: F401 (the fixture: a computed cycle over branch1 and branch2)

pytestmark = pytest.mark.django_db
API = "/api/v1/assessment/rectifications"


def _data(**changes):
    fields = {"problem": "三会一课不规范", "measure": "按月召开", "deadline": date(2026, 12, 31), "owner_text": ""}
    return rectifications.RectificationData(**{**fields, **changes})


def _make(user, org, **changes):
    with context.acting(user):
        return rectifications.create(user, org.pk, _data(**changes))


def _edit_events(item):
    rows = AuditEvent.objects.filter(object_type="assessment.rectification", object_id=str(item.pk))
    return [e for e in rows.order_by("id") if (e.detail or {}).get("change") == "edit"]


def test_a_seeded_deadline_follows_the_setting(world):  # noqa: F811
    t, office, sec1, sec2, cycle = world
    today = timezone.localdate()
    with context.acting(office):
        first = rectifications.seed_from_cycle(office, cycle, t.branch1)
        assert first and {i.deadline for i in first} == {today + timedelta(days=90)}  # the default: one quarter
        rule_store.revise(office, RECTIFICATION_DAYS, 30, today)
        later = rectifications.seed_from_cycle(office, cycle, t.branch2)
    assert later and {i.deadline for i in later} == {today + timedelta(days=30)}
    Rectification.objects.filter(pk__in=[i.pk for i in first]).update(status=RectificationStatus.WITHDRAWN)
    with context.acting(office):
        again = rectifications.seed_from_cycle(office, cycle, t.branch1)
    assert {i.deadline for i in again} == {today + timedelta(days=30)}


def test_the_owner_is_a_person_of_the_unit(world):  # noqa: F811
    t, office, sec1, sec2, cycle = world
    own = make_member(t.branch1, "本支部甲")
    other = make_member(t.branch2, "外支部乙")
    item = _make(sec1, t.branch1, owner_id=own.pk)
    assert item.owner_id == own.pk and item.owner_name == "本支部甲"
    with pytest.raises(ValidationError, match="责任人须为整改单位的党员"):
        _make(sec1, t.branch1, owner_id=other.pk)
    with context.acting(sec1), pytest.raises(ValidationError, match="责任人须为整改单位的党员"):
        rectifications.edit(sec1, item.pk, _data(owner_id=other.pk))
    general = _make(office, t.general, owner_id=own.pk)  # a 党总支's people are on its branches' rolls
    assert general.owner_id == own.pk


def test_an_open_item_is_edited_and_each_change_is_audited(world):  # noqa: F811
    t, office, sec1, sec2, cycle = world
    owner = make_member(t.branch1, "责任甲")
    item = _make(sec1, t.branch1)
    with context.acting(sec1):
        rectifications.edit(sec1, item.pk, _data(owner_id=owner.pk, deadline=date(2027, 3, 31), measure="按月召开 "))
        rectifications.edit(sec1, item.pk, _data(owner_id=owner.pk, deadline=date(2027, 3, 31)))  # nothing new
    item.refresh_from_db()
    assert (item.owner_id, item.deadline) == (owner.pk, date(2027, 3, 31))
    events = _edit_events(item)
    assert len(events) == 1
    assert events[0].detail["fields"] == {"deadline": ["2026-12-31", "2027-03-31"], "owner_id": [None, owner.pk]}
    assert events[0].actor == sec1
    with context.acting(office):  # the office above edits too
        rectifications.edit(office, item.pk, _data(owner_id=owner.pk, deadline=date(2027, 3, 31), problem="新问题"))
    assert _edit_events(item)[-1].detail["fields"] == {"problem": ["三会一课不规范", "新问题"]}
    with context.acting(sec1), pytest.raises(ValidationError):
        rectifications.edit(sec1, item.pk, _data(problem="  "))
    with context.acting(sec2), pytest.raises(Http404):
        rectifications.edit(sec2, item.pk, _data(problem="别支部改"))


def test_only_an_open_item_is_edited(client, world):  # noqa: F811
    t, office, sec1, sec2, cycle = world
    item = _make(sec1, t.branch1)
    with context.acting(sec1):
        rectifications.complete(sec1, item.pk, note="已整改")
        with pytest.raises(ValidationError, match="只有整改中的事项可以修改"):
            rectifications.edit(sec1, item.pk, _data(problem="改"))
    client.force_login(sec1)
    url = reverse("assessment:rectification_edit", args=[item.pk])
    response = client.post(url, {"problem": "改", "deadline": "2027-01-01"})
    assert response.status_code == 302 and response["Location"] == reverse("assessment:rectification", args=[item.pk])
    item.refresh_from_db()
    assert item.problem == "三会一课不规范"
    assert f'href="{url}"' not in client.get(reverse("assessment:rectification", args=[item.pk])).content.decode()


def test_the_edit_page_offers_the_units_people_only(client, world):  # noqa: F811
    t, office, sec1, sec2, cycle = world
    own = make_member(t.branch1, "本支部丙")
    other = make_member(t.branch2, "外支部丁")
    item = _make(sec1, t.branch1)
    url = reverse("assessment:rectification_edit", args=[item.pk])
    client.force_login(sec1)
    page = client.get(url).content.decode()
    assert f'<option value="{own.pk}">本支部丙</option>' in page and "外支部丁" not in page
    assert f'href="{url}"' in client.get(reverse("assessment:rectification", args=[item.pk])).content.decode()
    forged = client.post(url, {"problem": "x", "deadline": "2027-01-01", "owner": other.pk})
    assert forged.status_code == 200  # not among the choices: the form says so
    item.refresh_from_db()
    assert item.owner_id is None
    done = client.post(url, {"problem": "会议记录不全", "deadline": "2027-01-01", "owner": own.pk, "measure": "补记"})
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.problem, item.owner_id, item.measure) == ("会议记录不全", own.pk, "补记")
    assert "本支部丙" in client.get(reverse("assessment:rectification", args=[item.pk])).content.decode()
    client.force_login(sec2)
    assert client.get(url).status_code == 404
    assert client.post(url, {"problem": "x", "deadline": "2027-01-01"}).status_code == 404


def test_the_new_item_form_asks_for_the_unit_then_its_people(client, world):  # noqa: F811
    t, office, sec1, sec2, cycle = world
    own = make_member(t.branch1, "本支部戊")
    make_member(t.branch2, "外支部己")
    client.force_login(office)
    url = reverse("assessment:rectification_new")
    first = client.get(url).content.decode()
    assert "下一步" in first and "本支部戊" not in first
    second = client.get(f"{url}?organization={t.branch1.pk}").content.decode()
    assert "本支部戊" in second and "外支部己" not in second
    data = {"organization": t.branch1.pk, "problem": "发展党员不规范", "deadline": "2027-01-01", "owner": own.pk}
    assert client.post(url, data).status_code == 302
    assert Rectification.objects.get(problem="发展党员不规范").owner_id == own.pk
    wrong_unit = client.post(url, {**data, "organization": t.branch2.pk, "problem": "错配"})
    assert wrong_unit.status_code == 200 and not Rectification.objects.filter(problem="错配").exists()


def _token(client, user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def test_the_api_gives_a_branch_secretary_exactly_their_units_items(client, world):  # noqa: F811
    t, office, sec1, sec2, cycle = world
    owner = make_member(t.branch1, "责任庚")
    late = _make(sec1, t.branch1, deadline=date(2020, 1, 1), owner_id=owner.pk)
    later = _make(sec1, t.branch1, deadline=timezone.localdate() + timedelta(days=10))
    theirs = _make(sec2, t.branch2)
    gone = _make(sec1, t.branch1)
    with context.acting(office):
        rectifications.withdraw(office, gone.pk, reason="重复")

    mine = client.get(API, **_token(client, sec1)).json()
    assert [i["id"] for i in mine["items"]] == [late.pk, later.pk] and mine["count"] == 2
    first = mine["items"][0]
    assert first["organization"] == {"id": t.branch1.pk, "name": "一支部", "kind": "branch"}
    assert first["owner"] == {"id": owner.pk, "name": "责任庚"} and first["owner_name"] == "责任庚"
    assert first["overdue"] is True and mine["items"][1]["overdue"] is False
    assert first["status"] == "open" and first["deadline"] == "2020-01-01"
    other = client.get(API, **_token(client, sec2)).json()
    assert [i["id"] for i in other["items"]] == [theirs.pk]
    assert client.get(f"{API}?unit={t.branch1.pk}", **_token(client, sec2)).status_code == 404

    everything = client.get(API, **_token(client, office)).json()
    assert {i["id"] for i in everything["items"]} == {late.pk, later.pk, theirs.pk}
    assert [i["id"] for i in client.get(f"{API}?overdue=true", **_token(client, office)).json()["items"]] == [late.pk]
    unit = client.get(f"{API}?unit={t.branch2.pk}", **_token(client, office)).json()
    assert [i["id"] for i in unit["items"]] == [theirs.pk]
    withdrawn = client.get(f"{API}?status=withdrawn", **_token(client, office)).json()
    assert [i["id"] for i in withdrawn["items"]] == [gone.pk]
    assert client.get(API).status_code == 401


def test_the_api_takes_the_same_number_of_queries_for_2_or_12_items(client, world):  # noqa: F811
    t, office, sec1, sec2, cycle = world
    token = _token(client, office)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(API, **token).status_code == 200
        return len(ctx.captured_queries)

    _make(office, t.branch1, owner_id=make_member(t.branch1, "责任一").pk)
    _make(office, t.branch2)
    few = queries()
    for i in range(5):
        _make(office, t.branch1, owner_id=make_member(t.branch1, f"责任{i}甲").pk)
        _make(office, t.branch2, owner_id=make_member(t.branch2, f"责任{i}乙").pk)
    assert Rectification.objects.count() == 12
    assert queries() == few
    assert len(client.get(API, **token).json()["items"]) == 12


def test_an_owner_who_left_the_unit_stays_until_changed(client, world):  # noqa: F811
    t, office, sec1, sec2, cycle = world
    gone = make_member(t.branch1, "调离辛")
    item = _make(sec1, t.branch1, owner_id=gone.pk)
    gone.memberships.update(ended_on=date(2026, 6, 30))
    client.force_login(sec1)
    url = reverse("assessment:rectification_edit", args=[item.pk])
    assert "调离辛" in client.get(url).content.decode()
    kept = client.post(url, {"problem": "措施细化", "deadline": "2027-01-01", "owner": gone.pk})
    assert kept.status_code == 302
    item.refresh_from_db()
    assert (item.problem, item.owner_id) == ("措施细化", gone.pk)
    with context.acting(sec1), pytest.raises(ValidationError, match="责任人须为整改单位的党员"):
        rectifications.edit(sec1, item.pk, _data(owner_id=make_member(t.branch2, "外壬").pk))
