"""The care list's edits by API: a new version of a line's terms (the others kept), a new line, through the page's
service (the office's rules.edit over the whole tree, Chinese refusals, audit on the api channel)."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.accounts.models import ApiToken
from dangjian.audit.models import AuditEvent
from dangjian.care.models import CareRule, EventKind, ObligationKind, Responsible
from dangjian.care.rule_terms import terms_on
from dangjian.rules.services import book
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def world():
    t = make_tree()
    office = make_user("office", "office", t.root)
    office2 = make_user("office2", "office", t.branch2)
    sec1 = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    return t, office, office2, sec1


def _call(client, user, url, body, method="post"):
    token = ApiToken.issue(user)
    return getattr(client, method)(f"/api/v1/care/{url}", body, content_type=JSON, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_office_changes_a_lines_deadline_from_a_date_keeping_its_other_terms(client, world):
    t, office, office2, sec1 = world
    rule = CareRule.objects.get(trigger="illness", kind="visit")
    before = terms_on(book(), rule, timezone.localdate())
    start = timezone.localdate() + timedelta(days=1)
    r = _call(client, office, f"rules/{rule.pk}", {"deadline_days": 5, "effective_from": start.isoformat()}, "patch")
    assert r.status_code == 200, r.content
    assert (r.json()["deadline_days"], r.json()["confidence"]) == (5, before.confidence)
    assert terms_on(book(), rule, timezone.localdate()).deadline_days == before.deadline_days  # today: the old terms
    assert terms_on(book(), rule, start).deadline_days == 5
    event = AuditEvent.objects.filter(object_type="care.carerule", object_id=str(rule.pk)).latest("id")
    assert event.channel == "api" and event.after["deadline_days"] == 5


def test_only_the_office_of_the_whole_tree_edits_the_care_list(client, world):
    t, office, office2, sec1 = world
    rule = CareRule.objects.get(trigger="illness", kind="visit")
    for user in (office2, sec1):
        assert _call(client, user, f"rules/{rule.pk}", {"deadline_days": 1}, "patch").status_code == 404
    assert _call(client, office, "rules/999999", {"deadline_days": 1}, "patch").status_code == 404
    r = _call(client, office, f"rules/{rule.pk}", {"deadline_days": 366}, "patch")
    assert r.status_code == 422 and r.json()["detail"][0]["message"] == "不能大于 365"
    r = _call(client, office, f"rules/{rule.pk}", {"confidence": "P"}, "patch")
    assert r.status_code == 422
    assert r.json()["detail"][0]["message"] == "关怀规则是组织自定的设置，依据类别只能是参考做法、本单位设置或待核实"


def test_a_new_line_is_added_once(client, world):
    t, office, office2, sec1 = world
    taken = set(CareRule.objects.values_list("trigger", "kind", "responsible"))
    trigger, kind, responsible = next(
        combo
        for combo in itertools.product(EventKind.values, ObligationKind.values, Responsible.values)
        if combo not in taken
    )
    line = {"trigger": trigger, "kind": kind, "responsible": responsible, "deadline_days": 10}
    r = _call(client, office, "rules", line)
    assert r.status_code == 201, r.content
    assert (r.json()["key"], r.json()["deadline_days"], r.json()["active"]) == (
        CareRule.objects.get(pk=r.json()["id"]).key,
        10,
        True,
    )
    again = _call(client, office, "rules", line)
    assert again.status_code == 422
    assert again.json()["detail"][0]["message"] == "已有相同事件、方式和责任人的规则，请直接修改该规则"
    assert _call(client, sec1, "rules", line).status_code == 404
