"""The demo institute's assessment rows (``assessment.demo``): what ``make run`` shows under 考核 on first start."""

from __future__ import annotations

import pytest

from dangjian.demo.history import WEAK_BRANCH
from dangjian.demo.spec import FIXED_DATE

from .. import report_services
from ..models import (
    AssessmentCycle,
    AutoScore,
    BranchBrand,
    BrandEvidence,
    BrandReview,
    BrandStatus,
    CycleStatus,
    CycleUnit,
    Evidence,
    Indicator,
    IndicatorSystem,
    Interview,
    ManualScore,
    MeetingStatus,
    Objection,
    ObjectionStatus,
    Occurrence,
    PaperTally,
    ReportMeeting,
    ReviewEntry,
    Reviewer,
    ReviewResult,
    SecretaryReport,
    SectionScore,
    SelfAssessment,
    SelfScore,
    Snapshot,
    StarRating,
    SystemStatus,
    Title,
)
from ..results import results

pytestmark = pytest.mark.django_db

LAST = FIXED_DATE.year - 1
MODELS = {
    "assessment.IndicatorSystem": IndicatorSystem,
    "assessment.Indicator": Indicator,
    "assessment.BranchBrand": BranchBrand,
    "assessment.BrandReview": BrandReview,
    "assessment.BrandEvidence": BrandEvidence,
    "assessment.AssessmentCycle": AssessmentCycle,
    "assessment.CycleUnit": CycleUnit,
    "assessment.Snapshot": Snapshot,
    "assessment.AutoScore": AutoScore,
    "assessment.SectionScore": SectionScore,
    "assessment.Occurrence": Occurrence,
    "assessment.ReportMeeting": ReportMeeting,
    "assessment.SecretaryReport": SecretaryReport,
    "assessment.PaperTally": PaperTally,
    "assessment.Reviewer": Reviewer,
    "assessment.SelfAssessment": SelfAssessment,
    "assessment.SelfScore": SelfScore,
    "assessment.Evidence": Evidence,
    "assessment.ReviewEntry": ReviewEntry,
    "assessment.ManualScore": ManualScore,
    "assessment.Objection": Objection,
    "assessment.Title": Title,
    "assessment.StarRating": StarRating,
    "assessment.Interview": Interview,
}


def test_the_counts_are_the_rows(institute_demo):
    assert {k: v for k, v in institute_demo.items() if k.startswith("assessment.")} == {
        key: model.objects.count() for key, model in MODELS.items()
    }
    assert all(institute_demo[key] > 0 for key in MODELS)


def test_the_default_system_is_published(institute_demo):
    system = IndicatorSystem.objects.get()
    assert system.status == SystemStatus.PUBLISHED and system.published_at is not None


def test_about_a_third_of_the_branches_have_a_brand_in_each_state(institute_demo):
    from dangjian.orgs.models import Organization

    branches = Organization.objects.filter(kind="branch", dissolved_on__isnull=True).count()
    brands = BranchBrand.objects.filter(current=True)
    assert branches / 4 < brands.count() < branches / 2
    states = {s: brands.filter(status=s).count() for s in BrandStatus.values}
    assert states[BrandStatus.RECOGNISED] > states[BrandStatus.SUBMITTED] >= 2
    assert states[BrandStatus.RETURNED] == 1
    returned = brands.get(status=BrandStatus.RETURNED)
    assert returned.remarks and returned.reviews.get().result == ReviewResult.NOT_RECOGNISED
    for brand in brands.filter(status=BrandStatus.RECOGNISED):
        assert brand.reviews.filter(year=LAST, result=ReviewResult.RECOGNISED).exists()
    assert not brands.filter(status=BrandStatus.SUBMITTED, reviews__isnull=False).exists()
    evidence = BrandEvidence.objects.all()
    assert evidence.count() >= 2 and all(e.text and not e.file for e in evidence)


def test_both_cycles_cover_every_branch_last_years_published_this_years_in_review(institute_demo):
    from dangjian.orgs.models import Organization

    branches = set(Organization.objects.filter(kind="branch", dissolved_on__isnull=True).values_list("pk", flat=True))
    cycles = AssessmentCycle.objects.order_by("year")
    assert [c.year for c in cycles] == [LAST, FIXED_DATE.year]
    assert [c.status for c in cycles] == [CycleStatus.PUBLISHED, CycleStatus.REVIEW]
    for cycle in cycles:
        assert set(CycleUnit.objects.filter(cycle=cycle).values_list("organization_id", flat=True)) == branches
        snapshot = cycle.snapshots.get(current=True)
        assert snapshot.taken_at.date() <= FIXED_DATE
        assert AutoScore.objects.filter(snapshot=snapshot).count() % len(branches) == 0


def test_last_years_cycle_is_fully_scored_within_its_quotas_with_two_answered_objections(institute_demo):
    from .. import ranking

    cycle = AssessmentCycle.objects.get(year=LAST)
    out = results(cycle)
    assert not out.manual_pending
    manual = Indicator.objects.filter(system=cycle.system, method="manual").count()
    assert ManualScore.objects.filter(cycle=cycle).count() == manual * len(out.rows)
    assert SelfAssessment.objects.filter(cycle=cycle, submitted_at__isnull=False).count() == len(out.rows)
    counts = ranking.distribution([r.result for r in out.rows], cycle.system.bands, cycle.system.quotas)
    assert all(c.excess == 0 for c in counts)
    assert cycle.signed_at and cycle.published_at and cycle.objection_deadline < FIXED_DATE
    statuses = sorted(Objection.objects.filter(cycle=cycle).values_list("status", flat=True))
    assert statuses == [ObjectionStatus.REJECTED, ObjectionStatus.UPHELD]
    upheld = Objection.objects.get(cycle=cycle, status=ObjectionStatus.UPHELD)
    [entry] = upheld.entries.all()
    assert ManualScore.objects.get(cycle=cycle, unit=upheld.unit, indicator=upheld.indicator).score == entry.score


def test_this_years_cycle_waits_for_three_self_assessments_and_one_settlement(institute_demo):
    from docx import Document

    from dangjian.demo import flagship

    cycle = AssessmentCycle.objects.get(year=FIXED_DATE.year)
    assert SelfAssessment.objects.filter(cycle=cycle, submitted_at__isnull=True).count() == 3
    assert results(cycle).manual_pending
    disputed = ManualScore.objects.get(cycle=cycle, disputed=True)
    scorers = set(
        ReviewEntry.objects.filter(cycle=cycle, unit=disputed.unit, indicator=disputed.indicator).values_list(
            "entered_by__username", flat=True
        )
    )
    assert scorers == {"office", "leader"}
    assert Reviewer.objects.filter(cycle=cycle, department="纪检").count() == 2
    evidence = Evidence.objects.get(cycle=cycle)
    assert evidence.unit.name == flagship.SECRETARY_BRANCH
    with evidence.file.open("rb") as f:
        text = "\n".join(p.text for p in Document(f).paragraphs)
    assert "理论学习记录" in text


def test_the_weak_branch_ranks_in_the_bottom_part_of_last_years_cycle_with_its_criticism(institute_demo):
    cycle = AssessmentCycle.objects.get(year=LAST)
    table = results(cycle)
    names = [r.organization.name for r in table.rows]  # best first
    weak = table.rows[names.index(WEAK_BRANCH)]
    assert names.index(WEAK_BRANCH) >= 0.75 * len(names)
    assert weak.result.deductions < 0
    praised = next(r for r in table.rows if r.result.bonus > 0)
    assert names.index(praised.organization.name) < len(names) // 2
    criticism = Occurrence.objects.get(cycle=cycle, unit__name=WEAK_BRANCH)
    assert criticism.indicator.name == "通报批评" and criticism.points < 0


def test_last_years_report_meeting_is_closed_and_rates_the_weak_branchs_secretary_lowest(institute_demo):
    meeting = ReportMeeting.objects.get()
    assert meeting.year == LAST and meeting.status == MeetingStatus.CLOSED and meeting.held_on <= FIXED_DATE
    rows = report_services.results(meeting)
    assert 4 <= len(rows) <= 6
    for row in rows:
        assert row.result.score is not None and row.report.remarks
        for group, counts in row.counts.items():
            assert sum(counts.values()) <= meeting.paper_count(group)
    weak = next(r for r in rows if r.report.organization.name == WEAK_BRANCH)
    assert weak.result.score == min(r.result.score for r in rows)
    assert weak.result.grade in ("average", "poor") and weak.report.problems
    for group in meeting.weights:  # every group tells the same story
        good = {r.report.pk: r.counts[group]["good"] for r in rows}
        assert good[weak.report.pk] == min(good.values())


def test_the_office_sees_the_demo_on_every_assessment_page(institute_demo, client):
    from django.urls import reverse

    from dangjian.accounts.models import User

    client.force_login(User.objects.get(username="office"))
    cycle = AssessmentCycle.objects.get(year=LAST)
    weak = CycleUnit.objects.get(cycle=cycle, organization__name=WEAK_BRANCH).organization_id
    meeting = ReportMeeting.objects.get()
    pages = {
        reverse("assessment:systems"): "研究所党支部党建工作责任制考核指标体系",
        reverse("assessment:brands"): "时频先锋·精准守时",
        reverse("assessment:brand", args=[BranchBrand.objects.get(status=BrandStatus.RETURNED).pk]): "重新提交",
        reverse("assessment:cycles"): f"{LAST}年度党支部党建工作责任制考核",
        reverse("assessment:cycle", args=[cycle.pk]): results(cycle).rows[0].organization.name,  # paginated, best first
        reverse("assessment:cycle_unit", args=[cycle.pk, weak]): "通报批评",
        reverse("assessment:report_meetings"): meeting.title,
        reverse("assessment:report_results", args=[meeting.pk]): WEAK_BRANCH,
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_the_leaves_once_at_zero_for_every_branch_score_in_some_branches_last_year(institute_demo):
    """They measured the demo's gaps, not the branches: no talks, no appraisals, nothing due in 关怀 scored 0.

    Only these leaves: the meeting leaves read rule rows seeded by migrations, which a transactional test run
    earlier in the session (talks ``test_move``) flushes away."""
    from django.db.models import Max

    leaves = ("开展民主评议党员", "谈心谈话覆盖", "五必问五必谈五必访按时办结", "办实事项目按期完成")
    scores = AutoScore.objects.filter(snapshot__cycle__year=LAST, snapshot__current=True, indicator__name__in=leaves)
    best = dict(scores.values_list("indicator__name").annotate(Max("score")))
    assert set(best) == set(leaves) and all(best.values()), best


def test_last_years_ends_name_the_flagship_a_model_branch_and_put_the_weak_branch_into_rectification(institute_demo):
    from dangjian.demo import flagship
    from dangjian.orgs.models import Organization

    cycle = AssessmentCycle.objects.get(year=LAST)
    benchmark = Title.objects.get(cycle=cycle, kind="benchmark_branch")
    assert benchmark.organization.name == flagship.SECRETARY_BRANCH
    assert Title.objects.filter(cycle=cycle, kind="advanced_branch").count() == 2
    assert StarRating.objects.filter(cycle=cycle).count() == CycleUnit.objects.filter(cycle=cycle).count()
    weak = Organization.objects.get(name=WEAK_BRANCH)
    assert Interview.objects.filter(cycle=cycle, organization=weak).exists()
    assert weak.rectifying
    assert StarRating.objects.get(cycle=cycle, organization=weak).stars == 1
