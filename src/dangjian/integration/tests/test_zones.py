"""党员责任区: set for a member of the branch, reported per month or quarter (one report per period) with evidence,
ended; the zones missing their last period's report found in one query."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from dangjian.integration import evidence, periods
from dangjian.integration import zones as svc
from dangjian.integration.models import ResponsibilityZone, ZoneReport

from .posts_world import make_world, zone_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def messages_of(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


def test_periods_of_months_and_quarters():
    assert periods.period_of(date(2026, 3, 31), "month") == "2026-03"
    assert periods.period_of(date(2026, 3, 31), "quarter") == "2026Q1"
    assert periods.last_finished(date(2026, 1, 15), "month") == "2025-12"
    assert periods.last_finished(date(2026, 4, 1), "quarter") == "2026Q1"
    assert periods.bounds("2026Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert periods.bounds("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert periods.bounds("2026Q5") is None and periods.bounds("2026-13") is None


def test_branch_sets_a_zone_for_its_member(w):
    zone = svc.create(w.sec1, zone_data(w))
    assert zone.member == w.yi and zone.organization == w.t.branch1


def test_zone_member_must_be_of_the_branch_and_scope_is_rechecked(w):
    with pytest.raises(ValidationError) as exc:
        svc.create(w.sec1, zone_data(w, member=w.ding))
    assert "责任党员应为本支部的在册党员" in messages_of(exc)
    with pytest.raises(Http404):
        svc.create(w.sec2, zone_data(w))


def test_member_reports_on_their_own_zone_with_evidence(w, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    zone = svc.create(w.sec1, zone_data(w))
    row = svc.report(
        w.member,
        zone.pk,
        period="2025q1",
        content="开展安全检查3次",
        results="隐患清零",
        reported_on=date(2025, 4, 3),
        evidence_title="检查记录",
        upload=SimpleUploadedFile("a.png", PNG),
    )
    assert row.period == "2025Q1" and row.reported_by == w.member
    assert [e.title for e in evidence.of(row)] == ["检查记录"]


def test_one_report_per_zone_and_period(w):
    zone = svc.create(w.sec1, zone_data(w))
    svc.report(w.sec1, zone.pk, period="2025Q1", content="履责", reported_on=date(2025, 4, 3))
    with pytest.raises(ValidationError) as exc:
        svc.report(w.member, zone.pk, period="2025Q1", content="再报", reported_on=date(2025, 4, 5))
    assert "2025Q1的履责报告已提交，不能重复报告" in messages_of(exc)
    assert ZoneReport.objects.filter(zone=zone).count() == 1


def test_period_must_match_the_zones_rhythm_and_span(w):
    monthly = svc.create(w.sec1, zone_data(w, report_every="month"))
    with pytest.raises(ValidationError) as exc:
        svc.report(w.sec1, monthly.pk, period="2025Q1", content="x", reported_on=date(2025, 4, 3))
    assert "按月报告的报告期应写作“2026-03”（年-月）" in messages_of(exc)
    quarterly = svc.create(w.sec1, zone_data(w))
    with pytest.raises(ValidationError) as exc:
        svc.report(w.sec1, quarterly.pk, period="2025-03", content="x", reported_on=date(2025, 4, 3))
    assert "按季度报告的报告期应写作“2026Q1”（年份Q季度）" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        svc.report(w.sec1, quarterly.pk, period="2023Q4", content="x", reported_on=date(2025, 4, 3))
    assert "报告期不在责任区的起止期间内" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        svc.report(w.sec1, quarterly.pk, period="2025Q3", content="x", reported_on=date(2025, 4, 3))
    assert "报告期尚未开始，不能报告" in messages_of(exc)


def test_another_member_and_another_branch_cannot_report(w):
    zone = svc.create(w.sec1, zone_data(w, member=w.bing))
    with pytest.raises(Http404):
        svc.report(w.member, zone.pk, period="2025Q1", content="x", reported_on=date(2025, 4, 3))
    with pytest.raises(Http404):
        svc.report(w.sec2, zone.pk, period="2025Q1", content="x", reported_on=date(2025, 4, 3))


def test_end_a_zone_once(w):
    zone = svc.create(w.sec1, zone_data(w))
    with pytest.raises(ValidationError) as exc:
        svc.end(w.sec1, zone.pk, ends_on=date(2023, 12, 31))
    assert "结束日期不能早于开始日期" in messages_of(exc)
    zone = svc.end(w.sec1, zone.pk, ends_on=date(2025, 6, 30))
    assert zone.ends_on == date(2025, 6, 30)
    with pytest.raises(ValidationError) as exc:
        svc.end(w.sec1, zone.pk, ends_on=date(2025, 7, 1))
    assert "该责任区已结束" in messages_of(exc)
    with pytest.raises(Http404):
        svc.end(w.member, zone.pk, ends_on=date(2025, 7, 1))
    assert ResponsibilityZone.objects.filter(pk=zone.pk).exists()


def test_missing_last_report_by_rhythm_and_span(w):
    today = date(2025, 4, 10)  # last finished: 2025Q1 and 2025-03
    quarterly = svc.create(w.sec1, zone_data(w, name="季报"))
    monthly = svc.create(w.sec1, zone_data(w, name="月报", report_every="month"))
    svc.create(w.sec1, zone_data(w, name="四月开始", starts_on=date(2025, 4, 1)))
    svc.create(w.sec1, zone_data(w, name="已结束", ends_on=date(2024, 12, 31)))
    all_zones = ResponsibilityZone.objects.all()
    assert {z.name for z in svc.missing_last_report(all_zones, today)} == {"季报", "月报"}
    svc.report(w.sec1, quarterly.pk, period="2025Q1", content="x", reported_on=date(2025, 4, 2))
    svc.report(w.sec1, monthly.pk, period="2025-02", content="x", reported_on=date(2025, 3, 2))
    assert {z.name for z in svc.missing_last_report(all_zones, today)} == {"月报"}
    flags = {z.name: z.last_missing for z in svc.with_last_report_flag(all_zones, today)}
    assert flags == {"季报": False, "月报": True, "四月开始": False, "已结束": False}
