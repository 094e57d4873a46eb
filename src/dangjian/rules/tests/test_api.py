"""Rule edits by API: a new version of an institute's rule, or an override for a subtree, through the page's service
(``rules.edit`` only, Chinese refusals, audit on the api channel); regulation is refused with its reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.accounts.models import ApiToken
from dangjian.audit.models import AuditEvent
from dangjian.rules import services as store
from dangjian.rules.models import RuleVersion
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db

JSON = "application/json"
VISITS = "contact_point.min_visits_per_year"


@pytest.fixture
def world():
    t = make_tree()
    office = make_user("office", "office", t.root)
    office2 = make_user("office2", "office", t.branch2)
    sec = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    return t, office, office2, sec


def _revise(client, user, key, **body):
    data = {"value": "3", "effective_from": timezone.localdate().isoformat(), "reason": "加强调研", **body}
    token = ApiToken.issue(user)
    return client.post(f"/api/v1/rules/{key}/versions", data, content_type=JSON, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_office_revises_an_institute_rule_as_a_new_audited_version(client, world):
    t, office, office2, sec = world
    r = _revise(client, office, VISITS)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["key"], body["value"], body["organization_id"], body["citation"]) == (VISITS, 3, None, "本单位设置")
    assert store.table(store.code_table(VISITS)).value(VISITS) == 3
    new = RuleVersion.objects.get(key=VISITS, version=body["version"])
    event = AuditEvent.objects.get(object_type="rules.ruleversion", object_id=str(new.pk), action="create")
    assert event.channel == "api" and event.detail["reason"] == "加强调研"


def test_an_override_for_a_subtree_needs_the_organisation_in_scope(client, world):
    t, office, office2, sec = world
    r = _revise(client, office2, VISITS, organization_id=t.branch2.pk, value="5")
    assert r.status_code == 201 and r.json()["organization_id"] == t.branch2.pk
    assert store.table(store.code_table(VISITS), t.branch2).value(VISITS) == 5
    assert _revise(client, office2, VISITS, organization_id=t.branch1.pk).status_code == 404
    assert _revise(client, office2, VISITS).status_code == 404  # the whole institute is not its own
    assert _revise(client, office2, VISITS, organization_id=999999).status_code == 404


def test_only_rules_edit_revises_and_an_unknown_rule_is_404(client, world):
    t, office, office2, sec = world
    assert _revise(client, sec, VISITS).status_code == 404
    assert _revise(client, office, "no.such.rule").status_code == 404
    assert not RuleVersion.objects.filter(key=VISITS).exclude(created_by=None).exists()


def test_regulation_and_bad_values_are_refused_in_chinese(client, world):
    t, office, office2, sec = world
    r = _revise(client, office, "training.min_hours_per_year", value="40")
    assert r.status_code == 422 and r.json()["detail"][0]["message"] == "该规则是条例规定，只能查看依据，不能修改"
    r = _revise(client, office, VISITS, value="三次")
    assert r.status_code == 422 and r.json()["detail"] == [{"field": "value", "message": "请填写不小于 0 的整数"}]
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    r = _revise(client, office, VISITS, effective_from=yesterday)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "effective_from"
    assert "生效日期不能早于今天" in r.json()["detail"][0]["message"]
    r = _revise(client, office, VISITS, reason="")
    assert r.status_code == 422 and r.json()["detail"] == [{"field": "reason", "message": "不能为空"}]
