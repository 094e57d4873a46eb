"""/rules/ (规则与依据): every rule of every app, readable by every signed-in user, edited by rules.edit only."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from dangjian.audit.models import AuditEvent
from dangjian.care.models import CareRule
from dangjian.core.ruletable import TABLES
from dangjian.rules.models import RuleVersion
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db

URL = "/rules/"


@pytest.fixture
def world():
    t = make_tree()
    return {
        "tree": t,
        "office": make_user("office", "office", t.root),
        "sec1": make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲")),
        "member": make_user("member", "member", person=make_member(t.branch1, "党员乙")),
    }


def page(client, user, url=URL):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_url_is_rules():
    assert reverse("rules:catalogue") == URL


def test_every_rule_of_every_app_is_on_one_page(client, world):
    html = page(client, world["member"])
    for tables in TABLES.values():
        for table in tables:
            keys = table.keys()
            for key in keys:
                assert f'data-key="{key}"' in html, key
    obligations = set(
        RuleVersion.objects.filter(key__startswith="compliance.obligation.").values_list("key", flat=True)
    )
    assert len(obligations) == 7  # the seeded ones: 三会一课, 主题党日, 组织生活会, 民主评议党员
    for key in obligations:
        assert f'data-key="{key}"' in html, key
    assert html.count('data-key="care.') == CareRule.objects.count() > 0
    # the newcomer's question
    assert "支委会每月召开" in html and "中国共产党支部工作条例（试行）（2018）第12条" in html
    # the activist waiting period and the contact-point visits, in plain words with their setting's label
    assert "递交申请书后确定为入党积极分子的等待期" in html and "6个月" in html
    assert "领导干部每年到联系点的次数" in html


def test_no_internal_text_on_the_page(client, world):
    html = page(client, world["office"])
    for internal in ("RULES.md", "二手资料", "可信度", "rule_data", ".py"):
        assert internal not in html, internal
    # no bare confidence letters: every mark is shown as its label
    assert not re.search(r"[（(]\s*[PQSLU]\s*[)）]", html)
    for word in ("条例原文", "条文引用", "参考做法", "本单位设置"):
        assert word in html


def test_filters_narrow_the_page_without_javascript(client, world):
    user = world["member"]
    all_rules = page(client, user).count('class="card rule"')
    only_dev = page(client, user, URL + "?app=development")
    assert 'data-key="activist.wait_after_application_months"' in only_dev
    assert "支委会每月召开" not in only_dev
    assert only_dev.count('class="card rule"') < all_rules
    found = page(client, user, URL + "?q=支委会")
    assert "支委会每月召开" in found and 'data-key="activist.wait_after_application_months"' not in found
    local = page(client, user, URL + "?confidence=L")
    assert 'data-key="contact_point.min_visits_per_year"' in local
    assert 'data-key="training.min_hours_per_year"' not in local  # P


def test_members_read_only_and_the_office_edits_local_rules(client, world):
    member_html = page(client, world["member"])
    assert reverse("rules:edit", args=["contact_point.min_visits_per_year"]) not in member_html
    office_html = page(client, world["office"])
    assert reverse("rules:edit", args=["contact_point.min_visits_per_year"]) in office_html
    # a regulation rule shows only where it comes from
    assert reverse("rules:edit", args=["training.min_hours_per_year"]) not in office_html
    for who in ("member", "sec1"):
        client.force_login(world[who])
        edit = reverse("rules:edit", args=["contact_point.min_visits_per_year"])
        assert client.get(edit).status_code == 404
        assert client.post(edit, {"value": "5", "effective_from": "2030-01-01", "reason": "x"}).status_code == 404
    client.force_login(world["office"])
    assert client.get(reverse("rules:edit", args=["training.min_hours_per_year"])).status_code == 404


def test_an_edit_creates_a_new_version_audited_with_chinese_validation(client, world):
    client.force_login(world["office"])
    url = reverse("rules:edit", args=["contact_point.min_visits_per_year"])
    today = timezone.localdate()
    bad = client.post(url, {"value": "很多", "effective_from": today.isoformat(), "reason": "调整"})
    assert bad.status_code == 200 and "请填写不小于 0 的整数" in bad.content.decode()
    past = client.post(url, {"value": "3", "effective_from": (today - timedelta(days=1)).isoformat(), "reason": "x"})
    assert "生效日期不能早于今天" in past.content.decode()
    assert (
        client.post(url, {"value": "3", "effective_from": today.isoformat(), "reason": "加强调研"}).status_code == 302
    )
    later = (today + timedelta(days=10)).isoformat()
    assert client.post(url, {"value": "4", "effective_from": later, "reason": "再加强"}).status_code == 302
    versions = list(RuleVersion.objects.filter(key="contact_point.min_visits_per_year").order_by("version"))
    assert [(v.version, v.value) for v in versions] == [(1, 3), (2, 4)]
    assert versions[0].effective_to == today + timedelta(days=10)
    assert AuditEvent.objects.filter(object_type="rules.ruleversion").count() == 3  # 2 created, 1 closed
    html = page(client, world["member"], URL + "?q=联系点")
    assert "第1版：3次" in html and "第2版：4次" in html and "默认值：2次" in html


def test_a_local_override_for_a_subtree(client, world):
    t = world["tree"]
    client.force_login(world["office"])
    url = reverse("rules:edit", args=["activist.wait_after_application_months"])
    today = timezone.localdate().isoformat()
    unknown = client.post(url, {"value": "3", "effective_from": today, "org_code": "NOPE", "reason": "试点"})
    assert "找不到该组织代码" in unknown.content.decode()
    data = {"value": "3", "effective_from": today, "org_code": t.branch1.code, "reason": "试点"}
    assert client.post(url, data).status_code == 302
    assert RuleVersion.objects.get(key="activist.wait_after_application_months").organization == t.branch1
    html = page(client, world["member"], URL + "?app=development")
    assert "一支部 第1版：3个月" in html


def test_query_count_does_not_grow_with_versions(client, world):
    t = world["tree"]
    client.force_login(world["member"])
    client.get(URL)
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    start = date(2020, 1, 1)
    for n, org in enumerate((None, t.root, t.general, t.branch1, t.branch2, t.group1)):
        for v in range(1, 4):
            RuleVersion.objects.create(
                key="contact_point.min_visits_per_year",
                value=n + v,
                citation="本单位设置",
                confidence="L",
                organization=org,
                version=v,
                effective_from=start + timedelta(days=100 * v),
                effective_to=start + timedelta(days=100 * (v + 1)) if v < 3 else None,
            )
    with CaptureQueriesContext(connection) as after:
        html = client.get(URL).content.decode()
    assert "二支部" in html
    assert len(after.captured_queries) == len(before.captured_queries) <= 12


def test_signed_out_users_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_care_lines_show_their_versions_and_the_office_edits_them_on_the_care_page(client, world):
    from dangjian.care import services as care

    rule = CareRule.objects.get(trigger="illness", kind="visit")
    later = timezone.localdate() + timedelta(days=7)
    care.save_rule(world["office"], rule.pk, {"deadline_days": 5, "effective_from": later, "reason": "放宽"})
    member_html = page(client, world["member"], URL + "?app=care")
    assert f'data-key="{rule.key}"' in member_html
    assert "第1版：3天内，由所在党支部书记必访" in member_html and "第2版：5天内，由所在党支部书记必访" in member_html
    assert reverse("care:rule_edit", args=[rule.pk]) not in member_html
    office_html = page(client, world["office"], URL + "?app=care")
    assert reverse("care:rule_edit", args=[rule.pk]) in office_html


def test_an_old_rows_name_from_the_audit_log_finds_the_rule_it_became(client, world):
    lecture = RuleVersion.objects.get(key="compliance.obligation.branch.lecture", version=1)
    lecture.origin = "compliance.obligationrule:4"  # as rules 0004 recorded it
    lecture.save(update_fields=["origin"])
    for q in ("compliance.obligationrule:4", "compliance.obligationrule #4"):
        html = page(client, world["member"], f"{URL}?{urlencode({'q': q})}")
        assert re.findall(r'data-key="([^"]+)"', html) == ["compliance.obligation.branch.lecture"], q
    assert 'data-key="' not in page(client, world["member"], f"{URL}?q=compliance.obligationrule:999")


def test_obligations_are_store_rules_the_office_revises_when_the_institute_sets_them(client, world):
    from dangjian.compliance import services as compliance

    later = timezone.localdate() + timedelta(days=7)
    compliance.revise_rule(world["office"], "compliance.obligation.branch.lecture", {"period": "month"}, later, "从严")
    lecture, theme_day = (
        reverse("compliance:obligation_edit", args=[c]) for c in ("branch.lecture", "branch.theme_day")
    )
    member_html = page(client, world["member"], URL + "?app=compliance")
    assert "第1版：党支部：党课每季度1次" in member_html and "第2版：党支部：党课每月1次" in member_html
    assert lecture not in member_html
    office_html = page(client, world["office"], URL + "?app=compliance")
    assert lecture in office_html  # 本单位设置: the office revises it
    assert theme_day not in office_html and "党员教育管理工作条例（2019）第16条" in office_html  # P: its source only
