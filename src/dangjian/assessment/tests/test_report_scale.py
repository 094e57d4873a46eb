"""述职评议's weights and grade points are the rule store's settings (assessment.rule_data): a draft follows them,
opening the vote fixes them on the meeting, so a changed setting changes a new meeting and never a closed one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment import report_scale
from dangjian.assessment import report_services as services
from dangjian.assessment.rule_data import BAND_KEYS, POINT_KEYS, WEIGHT_KEYS
from dangjian.assessment.tests.report_fixtures import meeting, world
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.rules import services as rule_store

pytestmark = pytest.mark.django_db


def _vote_and_close(w, m):
    """Committee all 好, members (paper) all 一般 for 书记甲: with the defaults 50 % 好 + 50 % 一般 = 80, 较好."""
    reports = {r.person_id: r.pk for r in m.reports.all()}
    for user in w.raters["committee"]:
        services.vote(user, m.pk, dict.fromkeys(reports.values(), "good"))
    services.record_tallies(w.office, m.pk, "members", 2, {reports[w.p1.pk]: {"average": 2}})
    services.close(w.office, m.pk)
    m.refresh_from_db()
    return next(r for r in services.results(m) if r.report.person_id == w.p1.pk)


def _revise(w, changes: dict[str, int], on: date | None = None, organization=None) -> None:
    with context.acting(w.office):
        for key, value in changes.items():
            rule_store.revise(w.office, key, value, on or timezone.localdate(), organization=organization)


def test_a_changed_setting_changes_a_new_meeting_and_not_a_closed_one():
    w = world()
    closed = meeting(w)
    before = _vote_and_close(w, closed)
    assert (str(before.result.score), before.result.grade) == ("80.00", "fairly_good")
    assert closed.weights == {"committee": 30, "secretaries": 20, "members": 30, "staff": 20}
    assert closed.points == {"good": 100, "fairly_good": 80, "average": 60, "poor": 0}

    # the office: 一般 is worth 40 now, 好 needs 95, and the committee weighs 50 against the members' 10
    _revise(w, {POINT_KEYS["average"]: 40, BAND_KEYS["good"]: 95})
    _revise(w, {WEIGHT_KEYS["committee"]: 50, WEIGHT_KEYS["members"]: 10})

    closed.refresh_from_db()
    after = next(r for r in services.results(closed) if r.report.person_id == w.p1.pk)
    assert (after.result.score, after.result.grade, after.result.shares) == (
        before.result.score,
        before.result.grade,
        before.result.shares,
    )
    assert closed.points["average"] == 60 and closed.weights["committee"] == 30

    new = meeting(w)  # opened today, under the new settings
    assert new.weights == {"committee": 50, "secretaries": 20, "members": 10, "staff": 20}
    assert new.points["average"] == 40 and new.bands["good"] == 95
    result = _vote_and_close(w, new).result
    # committee 50 all 好, members 10 all 一般: 5/6 好 and 1/6 一般 → 100·5/6 + 40·1/6 = 90, below 95: 较好
    assert (str(result.score), result.grade) == ("90.00", "fairly_good")


def test_a_draft_follows_the_settings_until_the_vote_fixes_them():
    w = world()
    m = meeting(w, open_it=False)
    assert m.weights == {} and report_scale.of_meeting(m).fixed is False
    _revise(w, {WEIGHT_KEYS["staff"]: 10, WEIGHT_KEYS["secretaries"]: 30})
    assert report_scale.of_meeting(m).weights["staff"] == 10
    with context.acting(w.office):
        services.open_voting(w.office, m.pk)
    m.refresh_from_db()
    fixed = report_scale.of_meeting(m)
    assert fixed.fixed and fixed.weights["staff"] == 10
    event = AuditEvent.objects.filter(object_type="assessment.reportmeeting", object_id=str(m.pk)).order_by("id").last()
    assert event.before["weights"] == {} and event.after["weights"]["staff"] == 10
    assert event.after["points"]["good"] == 100
    # a version taking effect later, and one of today's overrides for the committee, leave the open meeting alone
    _revise(w, {WEIGHT_KEYS["staff"]: 20, WEIGHT_KEYS["secretaries"]: 20}, on=timezone.localdate() + timedelta(days=1))
    m.refresh_from_db()
    assert report_scale.of_meeting(m).weights["staff"] == 10


def test_a_committees_override_applies_to_its_meetings():
    w = world()
    _revise(w, {POINT_KEYS["good"]: 95}, organization=w.t.root)
    m = meeting(w)
    assert m.points["good"] == 95
    assert report_scale.in_force(w.t.office_branch).points["good"] == 95  # the root's subtree is everyone


def test_grades_must_keep_their_order():
    w = world()
    m = meeting(w, open_it=False)
    _revise(w, {BAND_KEYS["average"]: 80})  # above 较好's 75
    with context.acting(w.office), pytest.raises(ValidationError, match="递减"):
        services.open_voting(w.office, m.pk)


def test_the_pages_show_the_settings_of_the_meeting(client):
    w = world()
    draft = meeting(w, open_it=False)
    _revise(w, {POINT_KEYS["good"]: 90})
    client.force_login(w.office)
    page = client.get(reverse("assessment:report_meeting", args=[draft.pk])).content.decode()
    assert "得分：好90、较好80、一般60、差0" in page and "开始测评时固定" in page
    with context.acting(w.office):
        services.open_voting(w.office, draft.pk)
    _revise(w, {POINT_KEYS["good"]: 99}, on=timezone.localdate() + timedelta(days=1))
    page = client.get(reverse("assessment:report_meeting", args=[draft.pk])).content.decode()
    assert "得分：好90" in page and "开始测评时固定" not in page
    with context.acting(w.office):
        services.close(w.office, draft.pk)
    results = client.get(reverse("assessment:report_results", args=[draft.pk])).content.decode()
    assert "得分：好90、较好80、一般60、差0" in results


def test_the_rules_page_lists_the_settings(client):
    w = world()
    client.force_login(w.office)
    page = client.get("/rules/").content.decode()
    for key in (*WEIGHT_KEYS.values(), *POINT_KEYS.values(), *BAND_KEYS.values()):
        assert f'data-key="{key}"' in page
    assert "述职评议党委委员权重" in page and "30%" in page


def test_problems_carried_into_the_lists_take_the_deadline_setting():
    from dangjian.assessment import rectifications
    from dangjian.assessment.rule_data import RECTIFICATION_DAYS

    w = world()
    m = meeting(w)
    services.close(w.office, m.pk)
    m.reports.filter(person=w.p1).update(problems="谈心谈话覆盖不全")
    _revise(w, {RECTIFICATION_DAYS: 45})
    with context.acting(w.office):
        (item,) = rectifications.seed_from_reports(w.office, m.pk)
    assert item.deadline == timezone.localdate() + timedelta(days=45) and item.owner_id == w.p1.pk
