"""Issue 14 §4, 述职评议: secretaries from the current terms, one anonymous ballot per rater, paper tallies bounded
by the forms collected, the stages, the weighted results."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment import report_services as services
from dangjian.assessment.models import Ballot, Rater, ReportMeeting
from dangjian.assessment.rule_data import WEIGHT_KEYS
from dangjian.assessment.tests.report_fixtures import meeting, secretary_of, world
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.rules import services as rule_store
from dangjian.testing import make_member, make_user

pytestmark = pytest.mark.django_db


def test_the_secretaries_come_from_each_branchs_latest_term():
    w = world()
    newer = make_member(w.t.branch2, "新书记")
    secretary_of(w.t.branch2, newer, elected_on=date(2025, 6, 1))
    m = meeting(w, open_it=False)
    names = {name for _p, name, _o, _on in services.candidates(m)}
    assert names == {"书记甲", "新书记"}
    assert {r.person.name for r in m.reports.all()} == {"书记甲", "新书记"}
    with pytest.raises(ValidationError, match="现任书记"):
        services.add_reports(w.office, m.pk, [(w.p2.pk, w.t.branch2.pk)])


def test_the_vote_does_not_open_while_the_settings_weights_do_not_add_up_to_100():
    w = world()
    m = meeting(w, open_it=False)
    with context.acting(w.office):
        rule_store.revise(w.office, WEIGHT_KEYS["committee"], 90, timezone.localdate())
        with pytest.raises(ValidationError, match="之和应为 100%"):
            services.open_voting(w.office, m.pk)
    m.refresh_from_db()
    assert m.status == "draft" and m.weights == {}


def test_a_branch_holds_no_report_meeting():
    w = world()
    with pytest.raises(ValidationError, match="由党委或党总支组织"):
        services.create_meeting(w.office, w.t.branch1.pk, year=2026, held_on=date(2027, 1, 1), title="x")


def test_an_office_outside_the_committee_cannot_hold_its_meeting():
    w = world()
    other = make_user("office_b2_r", "office", w.t.branch2)
    with pytest.raises(Http404):
        services.create_meeting(other, w.t.root.pk, year=2026, held_on=date(2027, 1, 1), title="x")
    m = meeting(w)
    with pytest.raises(Http404):
        services.close(other, m.pk)


def test_a_rater_votes_once_for_every_secretary_but_themselves():
    w = world()
    m = meeting(w)
    reports = {r.person_id: r.pk for r in m.reports.all()}
    with pytest.raises(ValidationError, match="每一位"):
        services.vote(w.sec1, m.pk, {reports[w.p1.pk]: "good", reports[w.p2.pk]: "good"})  # their own too
    services.vote(w.sec1, m.pk, {reports[w.p2.pk]: "fairly_good"})
    with pytest.raises(ValidationError, match="只能投一次"):
        services.vote(w.sec1, m.pk, {reports[w.p2.pk]: "good"})
    assert Ballot.objects.filter(meeting=m).count() == 1
    outsider = make_user("nobody_r", "member", w.t.branch1, person=make_member(w.t.branch1, "旁人"))
    with pytest.raises(Http404):
        services.vote(outsider, m.pk, {reports[w.p2.pk]: "good"})


def test_ballots_cannot_be_tied_to_their_rater():
    """Mirror of the appraisal's anonymity test: no column of a ballot names or digests a rater, no timestamp
    orders it, and the audit log says who voted but never what they gave."""
    w = world()
    m = meeting(w)
    reports = [r.pk for r in m.reports.all()]
    rater = w.raters["committee"][0]
    with context.acting(rater):
        services.vote(rater, m.pk, dict.fromkeys(reports, "poor"))
    fields = {f.name for f in Ballot._meta.get_fields()}
    assert fields == {"id", "meeting", "report", "group", "grade"}
    assert all(f.related_model in (None, ReportMeeting, type(m.reports.first())) for f in Ballot._meta.get_fields())
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"
    assert Rater.objects.get(meeting=m, person=rater.person).voted_at is not None
    events = AuditEvent.objects.filter(actor=rater)
    assert events.exists() and all("poor" not in str(e.detail) + str(e.after) for e in events)


def test_paper_tallies_add_up_to_at_most_the_forms_collected():
    w = world()
    m = meeting(w)
    r1, r2 = (r.pk for r in m.reports.all())
    services.record_tallies(w.office, m.pk, "members", 10, {r1: {"good": 6, "fairly_good": 4}, r2: {"average": 9}})
    with pytest.raises(ValidationError, match="超过收回测评表数 10"):
        services.record_tallies(w.office, m.pk, "members", 10, {r1: {"good": 11}})
    with pytest.raises(ValidationError, match="一并修改"):
        services.record_tallies(w.office, m.pk, "members", 5, {r2: {"average": 5}})
    with pytest.raises(ValidationError, match="负数"):
        services.record_tallies(w.office, m.pk, "members", 10, {r1: {"good": -1}})
    m.refresh_from_db()
    assert m.paper_count("members") == 10


def test_online_and_paper_votes_make_one_weighted_result_in_constant_queries():
    w = world()
    m = meeting(w)
    reports = {r.person_id: r.pk for r in m.reports.all()}
    for user in w.raters["committee"]:
        services.vote(user, m.pk, dict.fromkeys(reports.values(), "good"))
    services.record_tallies(w.office, m.pk, "members", 2, {reports[w.p1.pk]: {"average": 2}})
    services.close(w.office, m.pk)
    m.refresh_from_db()
    with CaptureQueriesContext(connection) as ctx:
        rows = services.results(m)
    assert len(ctx.captured_queries) == 3
    first = next(row for row in rows if row.report.person_id == w.p1.pk)
    # committee 30 % all 好, members 30 % all 一般: 50 % 好, 50 % 一般 → 80
    assert str(first.result.score) == "80.00" and first.result.grade == "fairly_good"
    assert first.counts["committee"]["good"] == 3 and first.counts["members"]["average"] == 2
    second = next(row for row in rows if row.report.person_id == w.p2.pk)
    assert second.result.grade == "good"
    with pytest.raises(ValidationError, match="已结束"):
        services.record_tallies(w.office, m.pk, "members", 2, {})


def test_stages_move_one_way():
    w = world()
    m = meeting(w, open_it=False)
    reports = [r.pk for r in m.reports.all()]
    with pytest.raises(ValidationError, match="不在测评阶段"):
        services.vote(w.raters["staff"][0], m.pk, dict.fromkeys(reports, "good"))
    with pytest.raises(ValidationError):
        services.close(w.office, m.pk)
    services.open_voting(w.office, m.pk)
    with pytest.raises(ValidationError):
        services.add_reports(w.office, m.pk, [])
    with pytest.raises(ValidationError, match="不足 3 名"):  # during voting a group keeps its minimum
        services.withdraw_rater(w.office, Rater.objects.filter(meeting=m, group="staff").first().pk)
    services.add_raters(w.office, m.pk, "staff", [make_member(w.t.branch2, "职工丁").pk])
    services.withdraw_rater(w.office, Rater.objects.filter(meeting=m, group="staff").first().pk)
    assert Rater.objects.filter(meeting=m, withdrawn_at__isnull=False).count() == 1


def test_voting_does_not_open_with_a_group_too_small_to_stay_anonymous():
    w = world()
    m = meeting(w, open_it=False)
    services.withdraw_rater(w.office, Rater.objects.filter(meeting=m, group="staff").first().pk)
    with pytest.raises(ValidationError, match="“职工代表”仅 2 名网上测评人"):
        services.open_voting(w.office, m.pk)
    for rater in Rater.objects.filter(meeting=m, group="staff", withdrawn_at__isnull=True):
        services.withdraw_rater(w.office, rater.pk)
    services.open_voting(w.office, m.pk)  # staff vote on paper only


def test_a_closed_meetings_problems_become_rectification_items_once(client):
    from dangjian.assessment import rectifications
    from dangjian.assessment.models import Rectification

    w = world()
    m = meeting(w)
    report = m.reports.get(person=w.p1)
    with context.acting(w.office):
        services.save_report(
            w.office, report.pk, text="", remarks="", problems="谈心谈话覆盖不全\n\n  主题党日多月未开展 "
        )
        with pytest.raises(ValidationError, match="测评结束后"):
            rectifications.seed_from_reports(w.office, m.pk)
        for group in ("committee", "members", "staff"):
            for rater in w.raters[group]:
                services.vote(
                    rater, m.pk, {r.pk: "good" for r in services.ballot_reports(services.rater_entry(rater, m.pk))}
                )
        services.close(w.office, m.pk)
    client.force_login(w.office)
    client.post(reverse("assessment:report_rectify", args=[m.pk]))
    items = Rectification.objects.filter(source=m.title).order_by("pk")
    assert [(i.organization_id, i.problem, i.owner_id) for i in items] == [
        (w.t.branch1.pk, "谈心谈话覆盖不全", w.p1.pk),
        (w.t.branch1.pk, "主题党日多月未开展", w.p1.pk),
    ]
    client.post(reverse("assessment:report_rectify", args=[m.pk]))  # pressed again: nothing new
    assert Rectification.objects.filter(source=m.title).count() == 2
    client.force_login(w.sec1)
    assert client.post(reverse("assessment:report_rectify", args=[m.pk])).status_code in (403, 404)
