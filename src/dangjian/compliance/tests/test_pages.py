"""The heat map, an organisation's page, the rule table pages and the secretary's due list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.compliance import lights, services
from dangjian.compliance.engine import settings_on
from dangjian.compliance.home import due_items
from dangjian.orgs.models import Organization
from dangjian.rules.models import RuleVersion
from dangjian.testing import main_content, make_member, make_user

from . import store
from .conftest import at, committee, meeting, roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree_with_committee):
    t = tree_with_committee
    return {
        "office": make_user("office", "office", t.root),
        "leader": make_user("leader", "leader", t.root),
        "sec1": make_user("sec1", "secretary", t.branch1),
        "sec2": make_user("sec2", "secretary", t.branch2),
        "member": make_user("member", "member"),
    }


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_heat_map_shows_the_users_subtree_only(client, tree_with_committee, people):
    t = tree_with_committee
    url = reverse("compliance:heatmap") + "?year=2025"
    office = get(client, people["office"], url).content.decode()
    assert all(name in office for name in ("一支部", "二支部", "机关支部", "一支部第一党小组"))
    sec1 = get(client, people["sec1"], url).content.decode()
    assert "一支部" in sec1 and "二支部" not in sec1 and "机关支部" not in sec1
    leader = get(client, people["leader"], url)
    assert leader.status_code == 200
    member = get(client, people["member"], url)  # meetings.view over their own record only: nothing to show
    assert member.status_code == 200 and "一支部" not in main_content(member.content.decode())
    nothing = get(client, people["office"], url + "&q=没有这个组织")
    assert nothing.status_code == 200 and "没有需要检查的党组织" in nothing.content.decode()
    other = reverse("compliance:heatmap") + f"?org={t.branch2.pk}"
    assert get(client, people["sec1"], other).status_code == 404


def test_heat_map_cells_take_the_worst_light_and_link_to_the_drill_down(client, tree_with_committee, people):
    t = tree_with_committee
    year = timezone.localdate().year - 1  # a finished year: every missing item is overdue
    meeting(t.branch1, "theme_day", at(year, 3, 5))
    html = get(client, people["sec1"], reverse("compliance:heatmap") + f"?year={year}&kind=branch").content.decode()
    assert 'class="cell light-overdue"' in html
    assert reverse("compliance:org", args=[t.branch1.pk]) + f"?year={year}#m3" in html
    assert "style=" not in html and "<script>" not in html  # CSP: classes only


def test_the_heat_map_runs_a_constant_number_of_queries(client, tree_with_committee, people):
    t = tree_with_committee
    client.force_login(people["office"])
    url = reverse("compliance:heatmap") + "?year=2025"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for n in range(8):
        b = Organization.objects.add_child(
            Organization.objects.get(pk=t.general.pk),
            dict(kind="branch", code=f"Q{n}", name=f"增{n}支部", founded_on=date(2000, 1, 1)),
        )
        committee(b, date(2020, 1, 1))
        g = Organization.objects.add_child(
            b, dict(kind="group", code=f"Q{n}G", name=f"增{n}小组", founded_on=date(2000, 1, 1))
        )
        for month in range(1, 13):
            meeting(b, "committee_meeting", at(2025, month, 3))
            meeting(g, "group_meeting", at(2025, month, 4), status="held")
    assert count() == before


def test_an_organisations_page_shows_citations_and_local_settings(client, tree_with_committee, people):
    t = tree_with_committee
    year = timezone.localdate().year - 1
    voters = [make_member(t.branch1, f"成员{i}") for i in range(4)]
    m = meeting(t.branch1, "committee_meeting", at(year, 2, 10), status="held")
    roster(m, voters, present=1)  # below half of the committee (art. 12)
    roster(meeting(t.branch1, "members_meeting", at(year, 3, 10)), voters, present=1)  # held: no vote
    meeting(t.branch1, "theme_day", at(year, 5, 5), status="held")
    response = get(client, people["sec1"], reverse("compliance:org", args=[t.branch1.pk]) + f"?year={year}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "中国共产党支部工作条例（试行）（2018）第11条" in html
    assert "本单位设置" in html  # the quarterly lecture is a local rule
    assert "1次未达到法定人数" in html
    assert "未达到法定人数（实到有表决权 1 / 应到 4）" in html
    assert html.count("未达到法定人数（") == 1  # the members' meeting at 1 of 4 is held
    assert "召开超过 7 天未完成会议记录" in html
    assert 'id="m3"' in html
    assert "需要处理" in html
    assert f"{year}年5月主题党日有1次会议召开超过7天仍未完成会议记录" in html


def test_a_month_whose_only_committee_meeting_failed_its_quorum_counts_and_says_the_same(
    client, tree_with_committee, people
):
    """Issue 13 §3: a row said "5月支委会未召开" beside "已开 1 / 应开 1". The meeting was convened with 1 of 4
    committee members; 支部工作条例 第12条 "支部委员会会议须有半数以上委员到会方可进行", so it does not count
    (valid = held − quorum_failed) — the count showed ``held``, the message ``valid``. Both now say 0 counted."""
    t = tree_with_committee
    year = timezone.localdate().year - 1
    voters = [make_member(t.branch1, f"委员{i}") for i in range(4)]
    roster(meeting(t.branch1, "committee_meeting", at(year, 5, 12)), voters, present=1)
    url = reverse("compliance:org", args=[t.branch1.pk]) + f"?year={year}"
    page = get(client, people["sec1"], url).content.decode()
    block = page[page.index('id="m5"') :]
    rows = [r for r in block[: block.index("</section>")].split("<li")[1:] if "支委会" in r]
    assert len(rows) == 1, rows
    (row,) = rows
    assert f"{year}年5月支委会未有效召开" in row and "1次未达到法定人数，不计入" in row
    assert "已开 0 / 应开 1" in row and "已开 1 / 应开 1" not in row


def test_an_organisation_out_of_scope_is_404(client, tree_with_committee, people):
    t = tree_with_committee
    url = reverse("compliance:org", args=[t.branch2.pk])
    assert get(client, people["sec1"], url).status_code == 404
    assert get(client, people["member"], url).status_code == 404
    assert get(client, people["sec2"], url).status_code == 200
    assert get(client, people["office"], reverse("compliance:org", args=[999999])).status_code == 404


def test_the_org_page_runs_a_constant_number_of_queries(client, tree_with_committee, people):
    t = tree_with_committee
    client.force_login(people["sec1"])
    url = reverse("compliance:org", args=[t.branch1.pk]) + "?year=2025"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for month in range(1, 13):
        meeting(t.branch1, "committee_meeting", at(2025, month, 3), status="held")
        meeting(t.branch1, "theme_day", at(2025, month, 4))
    assert count() == before


def test_rule_pages_are_for_the_committee_office_only(client, tree_with_committee, people):
    urls = [
        reverse("compliance:rules"),
        reverse("compliance:rule_create"),
        reverse("compliance:obligation_edit", args=["branch.lecture"]),
        reverse("compliance:obligation_toggle", args=["branch.lecture"]),
        reverse("compliance:setting_edit", args=[RuleVersion.objects.filter(key__startswith="compliance.").first().pk]),
    ]
    for url in urls:
        for who in ("sec1", "leader", "member"):
            assert get(client, people[who], url).status_code == 404, (who, url)
        assert get(client, people["office"], url).status_code == 200, url


def _form(rule, **changes):
    data = {
        "title": rule.title,
        "org_kind": rule.org_kind,
        "condition": rule.condition,
        "meeting_kind": rule.meeting_kind,
        "period": rule.period,
        "required_count": rule.required_count,
        "citation": rule.citation,
        "confidence": rule.confidence,
        "note": rule.note,
        "effective_from": timezone.localdate().isoformat(),
        "reason": "",
    }
    if rule.counts_group_meetings:
        data["counts_group_meetings"] = "on"
    data.update(changes)
    return data


def test_editing_an_in_force_rule_closes_it_and_creates_an_audited_version(client, tree_with_committee, people):
    rule = store.current("branch.lecture")
    start = timezone.localdate() + timedelta(days=3)
    client.force_login(people["office"])
    response = client.post(
        reverse("compliance:obligation_edit", args=[rule.code]),
        _form(rule, period="month", effective_from=start.isoformat(), reason="党委决定每月一课"),
    )
    assert response.status_code == 302, response.content.decode()
    old, new = store.versions("branch.lecture")
    assert old.effective_to == start and old.period == "quarter"
    assert (new.version, new.effective_from, new.period) == (2, start, "month")
    assert RuleVersion.objects.get(pk=new.pk).supersedes_id == old.pk
    events = AuditEvent.objects.filter(object_type="rules.ruleversion", object_id__in=[old.pk, new.pk]).order_by("id")
    assert [(e.action, e.object_id) for e in events] == [("update", str(old.pk)), ("create", str(new.pk))]
    assert events[1].detail["changes"] == {"period": ["quarter", "month"]}
    assert events[1].detail["reason"] == "党委决定每月一课"
    assert events[1].actor == people["office"]
    # The next edit starts from the newest version: the page always edits the latest, never a superseded one.
    again = client.get(reverse("compliance:obligation_edit", args=[rule.code])).content.decode()
    assert 'value="month" selected' in again


def test_a_regulation_obligation_only_shows_its_source(client, tree_with_committee, people):
    rule = store.current("branch.theme_day")  # 党员教育管理工作条例 art. 16: P
    with pytest.raises(ValidationError, match="条例规定"):
        services.revise_rule(people["office"], rule.key, {"required_count": 2}, timezone.localdate())
    client.force_login(people["office"])
    response = client.get(reverse("compliance:obligation_edit", args=[rule.code]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("rules:catalogue"))
    html = client.get(reverse("compliance:rules")).content.decode()
    assert reverse("compliance:obligation_edit", args=[rule.code]) not in html
    assert reverse("compliance:obligation_edit", args=["branch.lecture"]) in html
    assert len(store.versions("branch.theme_day")) == 1


def test_a_revision_may_not_rejudge_a_period_that_has_begun(tree_with_committee, people):
    rule = store.current("branch.lecture")
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError, match="不能早于今天"):
        services.revise_rule(people["office"], rule.key, {"required_count": 2}, yesterday)
    with pytest.raises(ValidationError, match="没有任何修改"):
        services.revise_rule(people["office"], rule.key, {"required_count": 1}, timezone.localdate())
    with pytest.raises(Http404):
        services.revise_rule(people["sec1"], rule.key, {"required_count": 2}, timezone.localdate())
    assert len(store.versions("branch.lecture")) == 1


def test_a_version_not_yet_in_force_is_corrected_in_place(tree_with_committee, people):
    rule = store.current("branch.lecture")
    later = timezone.localdate() + timedelta(days=40)
    v2 = services.revise_rule(people["office"], rule.key, {"required_count": 2}, later)
    v2b = services.revise_rule(people["office"], rule.key, {"required_count": 3}, later + timedelta(days=5))
    assert v2b.pk == v2.pk and v2b.required_count == 3
    first, second = store.versions("branch.lecture")
    assert first.effective_to == later + timedelta(days=5) and second.effective_from == later + timedelta(days=5)
    correction = AuditEvent.objects.filter(object_type="rules.ruleversion", object_id=str(v2.pk)).latest("id")
    assert correction.detail["correction"] is True


def test_adding_and_switching_off_a_local_rule(client, tree_with_committee, people):
    client.force_login(people["office"])
    today = timezone.localdate()
    response = client.post(
        reverse("compliance:rule_create"),
        {
            "title": "理论学习中心组每季度学习",
            "org_kind": "committee",
            "condition": "",
            "meeting_kind": "central_group_study",
            "period": "quarter",
            "required_count": 1,
            "citation": "所党委关于加强理论学习的规定",
            "confidence": "L",
            "note": "",
            "effective_from": today.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()
    rule = store.current("local.committee.central_group_study")
    assert rule.is_local and rule.active and rule.author_id == people["office"].pk
    assert rule.key == "compliance.obligation.local.committee.central_group_study"
    created = AuditEvent.objects.filter(object_type="rules.ruleversion", object_id=str(rule.pk), action="create")
    assert created.count() == 1
    html = client.get(reverse("compliance:rules")).content.decode()
    assert "理论学习中心组每季度学习" in html and "本单位设置" in html

    off = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("compliance:obligation_toggle", args=[rule.code]), {"effective_from": off.isoformat(), "reason": "暂停"}
    )
    assert response.status_code == 302
    latest = store.current(rule.code)
    assert latest.version == 2 and not latest.active and latest.effective_from == off


def test_links_with_an_old_rule_id_lead_to_the_same_obligation(client, tree_with_committee, people):
    """Ids of the old obligation table (saved links, audit entries) resolve through the version's origin."""
    lecture = RuleVersion.objects.get(key="compliance.obligation.branch.lecture", version=1)
    lecture.origin = "compliance.obligationrule:4"  # as rules 0004 recorded it
    lecture.save(update_fields=["origin"])
    client.force_login(people["office"])
    for name, new in (("rule_edit", "obligation_edit"), ("rule_toggle", "obligation_toggle")):
        response = client.get(reverse(f"compliance:{name}", args=[4]))
        assert response.status_code == 302
        assert response["Location"] == reverse(f"compliance:{new}", args=["branch.lecture"])
    assert client.get(reverse("compliance:rule_edit", args=[999])).status_code == 404
    client.force_login(people["sec1"])
    assert client.get(reverse("compliance:rule_edit", args=[4])).status_code == 404


def test_a_setting_is_versioned_too(tree_with_committee, people):
    setting = RuleVersion.objects.get(key="compliance.minutes_days")
    new = services.revise_setting(people["office"], setting.pk, {"value": 5}, timezone.localdate(), "从严")
    assert new.version == 2 and new.value == 5
    assert settings_on(timezone.localdate())["minutes_days"] == 5
    assert settings_on(timezone.localdate() - timedelta(days=1))["minutes_days"] == 7


def test_the_secretarys_due_list_is_ordered_by_urgency(tree_with_committee, people):
    t = tree_with_committee
    today = date(2025, 10, 26)
    meeting(t.branch1, "theme_day", at(2025, 10, 8))
    meeting(t.branch1, "committee_meeting", at(2025, 9, 5), status="held")  # minutes late
    items = due_items(people["sec1"], today)
    messages = [d.message for d in items]
    assert {d.organization_id for d in items} <= {t.branch1.pk, t.group1.pk}
    assert "10月支委会尚未召开，剩余5天" in messages
    assert not any("10月主题党日" in m for m in messages)  # done
    lights_in_order = [d.light for d in items]
    assert lights_in_order == sorted(lights_in_order, key=[lights.OVERDUE, lights.DUE_SOON, lights.NOT_DUE].index)
    late = [d for d in items if d.is_late]
    assert [d.days for d in late] == sorted((d.days for d in late), reverse=True)
    assert any("未完成会议记录" in m for m in messages)
    # Outside the late window (92 days), last year's misses are no longer listed.
    assert not any(d.period.year == 2024 and d.period.kind == "month" and d.period.index < 7 for d in items)
    html = render_to_string("compliance/_due_panel.html", {"due_items": items})
    assert "10月支委会尚未召开，剩余5天" in html and "style=" not in html
    assert reverse("compliance:org", args=[t.branch1.pk]) in html


def test_the_due_list_is_empty_without_a_maintaining_role(tree_with_committee, people):
    today = date(2025, 10, 26)
    assert due_items(people["leader"], today) == []
    assert due_items(people["member"], today) == []
    assert render_to_string("compliance/_due_panel.html", {"due_items": []}).strip() == ""


def test_talk_coverage_is_a_due_item_and_the_home_page_query_count_stays_flat(client):
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangjian.compliance.home import due_items
    from dangjian.meetings import services
    from dangjian.talks import services as talk_services
    from dangjian.testing import make_member, make_tree, make_user

    t = make_tree()
    members = [make_member(t.branch1, f"谈{i}") for i in range(3)]
    sec = make_user("sec-talk", "secretary", t.branch1, person=members[0])
    today = date(2026, 12, 28)
    items = [i for i in due_items(sec, today) if "谈心谈话" in i.message]
    assert len(items) == 1 and "3名党员" in items[0].message and items[0].light == "due_soon"
    talk_services.record_talk(
        sec,
        {
            "organization": t.branch1,
            "talker": members[0],
            "talkee": members[1],
            "held_on": date(2026, 5, 1),
            "topics": "x",
        },
    )
    assert "2名党员" in [i for i in due_items(sec, today) if "谈心谈话" in i.message][0].message
    late = [i for i in due_items(sec, date(2027, 1, 10)) if "2026年" in i.message and "谈心谈话" in i.message]
    assert late and late[0].is_late

    client.force_login(sec)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    tz = ZoneInfo("Asia/Shanghai")
    for day in range(1, 6):
        when = datetime(2026, 3, day, 9, tzinfo=tz)
        services.plan_meeting(
            sec,
            t.branch1.pk,
            {"kind": "theme_day", "title": "学", "starts_at": when, "ends_at": when + timedelta(hours=1)},
        )
        make_member(t.branch1, f"新{day}")
    assert count() == before
