"""The care pages: forms, scope (404), office-only rules, list query counts at two sizes, hardship, matters."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.care import services
from dangjian.care.models import CareEvent, CareRule, HardshipEntry, Obligation, PracticalMatter, Support
from dangjian.care.rule_terms import terms_on
from dangjian.rules.services import book
from dangjian.sheets.testing import list_rows
from dangjian.testing import make_member

pytestmark = pytest.mark.django_db


def test_secretary_records_an_event_by_id_number_and_closes_its_obligation(client, care_world):
    w = care_world
    client.force_login(w.sec1)
    today = timezone.localdate()
    r = client.post(
        reverse("care:event_new"), {"person": w.jia.id_number, "kind": "illness", "occurred_on": today.isoformat()}
    )
    event = CareEvent.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("care:event", args=[event.pk])
    ob = event.obligations.get()
    page = client.get(reverse("care:event", args=[event.pk])).content.decode()
    assert "必访" in page and "所在党支部书记" in page
    r = client.post(reverse("care:obligation", args=[ob.pk]), {"done_on": today.isoformat(), "what_done": "看望"})
    assert r.status_code == 302
    assert Obligation.objects.get(pk=ob.pk).status == "closed"


def test_event_form_refuses_people_outside_scope_and_ambiguous_names(client, care_world):
    w = care_world
    make_member(w.t.branch1, "甲", department=w.t.dept1)
    client.force_login(w.sec1)
    today = timezone.localdate().isoformat()
    page = client.post(reverse("care:event_new"), {"person": "丙", "kind": "illness", "occurred_on": today})
    assert "您管理范围内没有找到该职工" in page.content.decode()
    page = client.post(reverse("care:event_new"), {"person": "甲", "kind": "illness", "occurred_on": today})
    assert "有同名职工，请填写公民身份号码" in page.content.decode()
    assert CareEvent.objects.count() == 0


def test_other_branch_objects_answer_404(client, care_world):
    w = care_world
    event = services.record_event(w.sec1, w.jia.pk, "illness", timezone.localdate())
    ob = event.obligations.get()
    client.force_login(w.sec2)
    assert client.get(reverse("care:event", args=[event.pk])).status_code == 404
    assert client.get(reverse("care:obligation", args=[ob.pk])).status_code == 404
    r = client.post(reverse("care:obligation", args=[ob.pk]), {"done_on": "2026-01-01", "what_done": "x"})
    assert r.status_code == 404
    assert "甲" not in client.get(reverse("care:events")).content.decode()
    client.force_login(w.care)  # care officer over 一总支 sees both branches
    assert client.get(reverse("care:event", args=[event.pk])).status_code == 200


def test_only_the_office_opens_the_rule_editor(client, care_world):
    w = care_world
    rule = CareRule.objects.get(trigger="illness", kind="visit")
    url = reverse("care:rule_edit", args=[rule.pk])
    for user in (w.sec1, w.care, w.leader):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"deadline_days": 1}).status_code == 404
        assert client.get(reverse("care:rules")).status_code == 200
    client.force_login(w.office)
    assert "组织自定" in client.get(reverse("care:rules")).content.decode()
    data = {
        "trigger": "illness",
        "kind": "visit",
        "responsible": "secretary",
        "deadline_days": 5,
        "active": "on",
        "confidence": "S",
        "source": "本所规定",
    }
    assert client.post(url, data).status_code == 302
    assert terms_on(book(), rule, timezone.localdate()).deadline_days == 5


def _events(w, n):
    today = timezone.localdate()
    for i in range(n):
        services.record_event(w.office, (w.jia, w.yi, w.bing)[i % 3].pk, "hardship", today - timedelta(days=i))


@pytest.mark.parametrize("name", ["care:events", "care:obligations", "care:coverage", "care:hardship", "care:matters"])
def test_list_query_counts_do_not_grow_with_the_data(client, care_world, name):
    w = care_world
    client.force_login(w.care)
    url = reverse(name)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    def grow(n):
        _events(w, n)
        for person in (w.jia, w.yi, w.bing)[: min(n, 3)]:
            entry = HardshipEntry.objects.filter(person=person).first() or HardshipEntry.objects.create(
                person=person, registered_on=date(2026, 1, 1), reason="病", recorded_by=w.office
            )
            Support.objects.create(
                entry=entry,
                given_on=date(2026, 2, 1),
                kind="cash",
                amount=Decimal("500.00"),
                given_by="工会",
                recorded_by=w.office,
            )
        for i in range(n):
            m = PracticalMatter.objects.create(
                title=f"实事{i}",
                year=timezone.localdate().year,
                organization=w.t.branch1,
                owner=w.jia,
                recorded_by=w.office,
            )
            m.milestones.create(title="启动", planned_on=date(2026, 3, 1))

    grow(2)
    small = count()
    grow(12)
    assert count() == small


def test_coverage_counts_in_time_late_and_open(client, care_world):
    w = care_world
    today = timezone.localdate()
    a = services.record_event(w.sec1, w.jia.pk, "illness", today - timedelta(days=10)).obligations.get()
    b = services.record_event(w.sec1, w.jia.pk, "illness", today - timedelta(days=10)).obligations.get()
    services.record_event(w.sec1, w.jia.pk, "illness", today - timedelta(days=10))
    services.close_obligation(w.sec1, a.pk, {"done_on": a.due_on, "what_done": "看望"})
    services.close_obligation(w.sec1, b.pk, {"done_on": a.due_on + timedelta(days=1), "what_done": "看望"})
    from dangjian.care.filters import coverage

    rows = coverage(w.sec1, date(today.year - 1, 1, 1), today + timedelta(days=400), today, "branch")
    assert rows == [
        {"name": "一支部", "events": 3, "due": 3, "in_time": 1, "late_done": 1, "late_open": 1, "open": 0, "rate": 33}
    ]
    dept = coverage(w.sec1, date(today.year - 1, 1, 1), today + timedelta(days=400), today, "department")
    assert dept[0]["name"] == "一室" and dept[0]["due"] == 3


def test_event_list_filters(client, care_world):
    w = care_world
    today = timezone.localdate()
    services.record_event(w.care, w.jia.pk, "illness", today - timedelta(days=30))
    services.record_event(w.care, w.bing.pk, "marriage", today)
    client.force_login(w.care)
    names = lambda **q: [e.person.name for e in client.get(reverse("care:events"), q).context["page"]]  # noqa: E731
    assert names(kind="marriage") == ["丙"]
    assert names(q="甲") == ["甲"]
    assert names(status="overdue") == ["甲"]
    assert names(org=w.t.branch2.pk) == ["丙"]
    assert names(department=w.t.dept1.pk) == ["甲"]
    assert names(start=(today - timedelta(days=1)).isoformat()) == ["丙"]


def test_hardship_register_records_support_with_decimal_amounts_and_yearly_totals(client, care_world):
    w = care_world
    client.force_login(w.sec1)
    r = client.post(reverse("care:hardship_new"), {"person": "乙", "registered_on": "2026-01-10", "reason": "重病"})
    entry = HardshipEntry.objects.get()
    assert r["Location"] == reverse("care:hardship_entry", args=[entry.pk])
    url = reverse("care:hardship_entry", args=[entry.pk])
    for amount in ("1000.10", "200.20"):
        data = {"given_on": "2026-02-01", "kind": "cash", "amount": amount, "given_by": "所工会"}
        assert client.post(url, data).status_code == 302
    page = client.post(url, {"given_on": "2025-12-01", "kind": "cash", "amount": "1", "given_by": "x"})
    assert "帮扶日期不能早于登记日期" in page.content.decode()
    assert sum(s.amount for s in Support.objects.all()) == Decimal("1200.30")
    listing = client.get(reverse("care:hardship"))
    assert listing.context["totals"][0]["amount"] == Decimal("1200.30")
    client.force_login(w.sec2)
    assert client.get(url).status_code == 404


def test_practical_matter_flow_and_yearly_export_reopened(client, care_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = care_world
    client.force_login(w.sec1)
    year = timezone.localdate().year
    data = {
        "title": "为外聘职工建立企业年金",
        "year": year,
        "organization": w.t.branch1.pk,
        "owner": "甲",
        "beneficiary_count": 42,
        "beneficiary_groups": "外聘职工",
        "status": "active",
    }
    r = client.post(reverse("care:matter_new"), data)
    matter = PracticalMatter.objects.get()
    assert r["Location"] == reverse("care:matter", args=[matter.pk])
    today = timezone.localdate()  # a milestone cannot be done in the future: no fixed day works all year round
    client.post(reverse("care:milestone_add", args=[matter.pk]), {"title": "方案通过", "planned_on": f"{year}-01-01"})
    ms = matter.milestones.get()
    client.post(reverse("care:milestone_done", args=[ms.pk]), {"done_on": today.isoformat()})
    upload = SimpleUploadedFile("方案.pdf", b"%PDF-1.4", content_type="application/pdf")
    client.post(reverse("care:evidence_add", args=[matter.pk]), {"file": upload})
    bad = SimpleUploadedFile("x.exe", b"MZ")
    client.post(reverse("care:evidence_add", args=[matter.pk]), {"file": bad})
    assert matter.evidence.count() == 1
    ev = matter.evidence.get()
    assert b"".join(client.get(reverse("care:evidence", args=[ev.pk])).streaming_content) == b"%PDF-1.4"
    r = client.get(reverse("care:matters_export"), {"year": year})
    rows = list_rows(r.content)
    assert rows[0][:4] == ("年度", "项目名称", "责任党组织", "负责人")
    assert rows[1][:7] == (year, "为外聘职工建立企业年金", "一支部", "甲", 42, "外聘职工", "推进中")
    assert f"方案通过 {year}-01-01/{today:%Y-%m-%d}" in rows[1][7] and "方案.pdf" in rows[1][8]
    client.force_login(w.sec2)
    assert client.get(reverse("care:matter", args=[matter.pk])).status_code == 404
    r = client.get(reverse("care:matters_export"), {"year": year})
    assert len(list_rows(r.content)) == 1  # the header alone


def test_hardship_entry_is_closed_once_and_leaves_the_open_register(client, care_world):
    w = care_world
    entry = HardshipEntry.objects.create(person=w.jia, registered_on=date(2026, 1, 5), reason="病", recorded_by=w.sec1)
    client.force_login(w.sec1)
    url = reverse("care:hardship_entry", args=[entry.pk])
    assert "errorlist" not in client.get(url).content.decode()
    client.post(url, {"closed_on": "2026-01-04"})  # before registration: refused
    assert HardshipEntry.objects.get(pk=entry.pk).closed_on is None
    client.post(url, {"closed_on": "2026-06-01"})
    assert HardshipEntry.objects.get(pk=entry.pk).closed_on == date(2026, 6, 1)
    assert list(client.get(reverse("care:hardship"), {"state": "open"}).context["page"]) == []


def test_office_sees_the_rule_edit_history(client, care_world):
    w = care_world
    rule = CareRule.objects.get(trigger="illness", kind="visit")
    services.save_rule(w.office, rule.pk, {"deadline_days": 4})
    client.force_login(w.office)
    page = client.get(reverse("care:rules")).content.decode()
    assert "deadline_days: 3 → 4" in page
    client.force_login(w.sec1)
    assert "deadline_days" not in client.get(reverse("care:rules")).content.decode()


def test_withdraw_asks_for_confirmation_and_a_reason(client, care_world):
    w = care_world
    event = services.record_event(w.sec1, w.jia.pk, "illness", timezone.localdate())
    url = reverse("care:event_withdraw", args=[event.pk])
    client.force_login(w.sec1)
    page = client.get(url).content.decode()
    assert "确定撤销甲的“生病住院”事件吗" in page
    assert client.post(url, {"reason": ""}).status_code == 200
    assert CareEvent.objects.filter(pk=event.pk).exists()
    assert client.post(url, {"reason": "重复登记"})["Location"] == reverse("care:events")
    assert client.get(reverse("care:event", args=[event.pk])).status_code == 404
    assert Obligation.objects.get(event_id=event.pk).status == "cancelled"


def test_the_rule_editor_starts_a_version_from_a_date_and_keeps_the_line(client, care_world):
    from dangjian.rules.models import RuleVersion

    w = care_world
    rule = CareRule.objects.get(trigger="illness", kind="visit")
    url = reverse("care:rule_edit", args=[rule.pk])
    today = timezone.localdate()
    client.force_login(w.office)
    form = client.get(url).content.decode()
    assert 'name="effective_from"' in form and 'value="3"' in form  # the latest terms, to start from
    data = {"deadline_days": 5, "active": "on", "confidence": "S", "source": "本所规定", "reason": "放宽"}
    past = client.post(url, {**data, "effective_from": (today - timedelta(days=1)).isoformat()})
    assert past.status_code == 200 and "生效日期不能早于今天" in past.content.decode()
    later = today + timedelta(days=30)
    # the line's identity is not editable: a different event posted for it is ignored
    r = client.post(url, {**data, "trigger": "marriage", "effective_from": later.isoformat()})
    assert r.status_code == 302
    assert CareRule.objects.get(pk=rule.pk).trigger == "illness"
    assert [v.value["deadline_days"] for v in RuleVersion.objects.filter(key=rule.key).order_by("version")] == [3, 5]
    assert terms_on(book(), rule, today).deadline_days == 3 and terms_on(book(), rule, later).deadline_days == 5
    page = client.get(reverse("care:rules")).content.decode()
    assert f"自 {later:%Y-%m-%d} 起 5天内" in page  # the coming change, beside the terms in force


def test_the_rule_list_asks_the_same_queries_whatever_the_versions(client, care_world):
    w = care_world
    client.force_login(w.office)
    client.get(reverse("care:rules"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("care:rules"))
    today = timezone.localdate()
    for rule in CareRule.objects.all()[:6]:
        for n in (1, 2):
            services.save_rule(w.office, rule.pk, {"deadline_days": n, "effective_from": today + timedelta(days=n)})
    with CaptureQueriesContext(connection) as after:
        assert client.get(reverse("care:rules")).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)
