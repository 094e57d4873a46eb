"""A cycle's course: each step and its refusals, quotas at sign-off with the office's band adjustments, publication
with its objection window, the gate that keeps results from the units until then, and objections answered.

The system here grades a 10-point total (好 ≥ 2, 较好 ≥ 1, 差) with 好 limited to half of the units, so that the
manual leaf 理论学习 (4 points) alone decides the bands of the three branches: 50 % of 3 units is 1 place in 好.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import ApiToken
from dangjian.assessment import cycles, lifecycle, manual_scores, objections, results, services
from dangjian.assessment.models import (
    AssessmentCycle,
    BandAdjustment,
    CycleStatus,
    EntryKind,
    ManualScore,
    Objection,
    ObjectionStatus,
    ReviewEntry,
    SelfAssessment,
)
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.testing import make_tree, make_user

from .cycle_factories import meeting_tree, open_cycle, published
from .factories import small_data

pytestmark = pytest.mark.django_db


def lifecycle_system(office):
    data = small_data("流程测试体系")
    data.bands = [[2, "好"], [1, "较好"], [0, "差"]]
    data.quotas = {"好": 0.5}
    system = services.create_system(office, data, meeting_tree())
    return services.publish(office, system.pk)


@pytest.fixture
def world():
    t = make_tree()
    office = make_user("office_root", "office", t.root)
    sec1 = make_user("sec1", "secretary", t.branch1)
    sec2 = make_user("sec2", "secretary", t.branch2)
    with context.acting(office):
        cycle = open_cycle(office, lifecycle_system(office), [t.branch1, t.branch2, t.office_branch])
        cycles.compute(cycle, office)
    with context.acting(office):
        yield t, office, sec1, sec2, cycle


def leaf_of(cycle, name="理论学习"):
    return cycle.system.indicators.get(name=name)


def score(cycle, office, scores):
    for unit, value in scores.items():
        manual_scores.enter(office, cycle, unit.pk, leaf_of(cycle), value, "评分")


def at(cycle, status):
    AssessmentCycle.objects.filter(pk=cycle.pk).update(status=status)
    cycle.refresh_from_db()
    return cycle


def band_of(cycle, unit):
    return results.results(cycle, compare=False).row_of(unit.pk)


def status_events(cycle):
    return list(
        AuditEvent.objects.filter(object_type="assessment.assessmentcycle", object_id=str(cycle.pk), action="update")
        .order_by("id")
        .values_list("before", "after", "detail")
    )


def test_an_adjustment_only_ever_lowers_the_band_and_keeps_total_and_rank():
    from dangjian.assessment import ranking

    bands = [[2, "好"], [1, "较好"], [0, "差"]]
    ranked = ranking.rank(
        [ranking.UnitInput(1, "branch", Decimal(3)), ranking.UnitInput(2, "branch", Decimal("1.5"))], bands, Decimal(0)
    )
    out = ranking.adjust(ranked, {1: "较好", 2: "好"}, bands)  # unit 2 "up" to 好 is ignored
    assert [(r.unit, r.band, r.total, r.rank) for r in out] == [
        (1, "较好", Decimal(3), 1),
        (2, "较好", Decimal("1.5"), 2),
    ]
    assert ranking.is_lower("差", "较好", bands) and not ranking.is_lower("好", "较好", bands)
    assert not ranking.is_lower("优", "较好", bands)  # a name the system does not have


# --- the steps ---------------------------------------------------------------------------------------------------


def test_each_step_moves_one_status_on_and_is_audited_with_the_status_before_and_after(world):
    t, office, sec1, sec2, cycle = world
    with pytest.raises(ValidationError, match="已开启"):
        lifecycle.sign_off(office, cycle.pk)
    with pytest.raises(ValidationError):
        lifecycle.start_review(office, cycle.pk, confirmed=True)
    lifecycle.start_self_assessment(office, cycle.pk)
    with pytest.raises(ValidationError, match="自评中"):
        lifecycle.start_self_assessment(office, cycle.pk)
    for unit in (t.branch1, t.branch2, t.office_branch):
        SelfAssessment.objects.create(cycle=cycle, unit=unit, submitted_at=timezone.now(), submitted_by=sec1)
    lifecycle.start_review(office, cycle.pk)
    score(cycle, office, {t.branch1: 4, t.branch2: "1.5", t.office_branch: "0.5"})
    lifecycle.sign_off(office, cycle.pk)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SIGNED and cycle.signed_by == office and cycle.signed_at is not None
    with pytest.raises(ValidationError):
        lifecycle.sign_off(office, cycle.pk)
    lifecycle.publish(office, cycle.pk, timezone.localdate())
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.PUBLISHED and cycle.published_at and cycle.objection_deadline
    events = status_events(cycle)
    assert [(b["status"], a["status"]) for b, a, _d in events] == [
        ("open", "self_assessment"),
        ("self_assessment", "review"),
        ("review", "signed"),
        ("signed", "published"),
    ]
    assert events[2][1]["signed_by"] == office.pk
    assert events[3][1]["objection_deadline"] == timezone.localdate().isoformat()


def test_only_the_office_over_the_whole_tree_moves_a_cycle(world):
    t, office, sec1, sec2, cycle = world
    branch_office = make_user("office_b2", "office", t.branch2)
    for user in (sec1, branch_office):
        with pytest.raises(Http404):
            lifecycle.start_self_assessment(user, cycle.pk)
    assert AssessmentCycle.objects.get(pk=cycle.pk).status == CycleStatus.OPEN


def test_review_starts_without_every_self_assessment_only_when_confirmed_and_the_audit_names_the_missing(world):
    t, office, sec1, sec2, cycle = world
    at(cycle, CycleStatus.SELF_ASSESSMENT)
    SelfAssessment.objects.create(cycle=cycle, unit=t.branch1, submitted_at=timezone.now(), submitted_by=sec1)
    SelfAssessment.objects.create(cycle=cycle, unit=t.branch2)  # a draft, not submitted
    with pytest.raises(ValidationError) as refused:
        lifecycle.start_review(office, cycle.pk)
    assert "2 个单位尚未提交自评" in refused.value.messages[0]
    assert "二支部" in refused.value.messages[0] and "机关支部" in refused.value.messages[0]
    assert "一支部" not in refused.value.messages[0]
    assert AssessmentCycle.objects.get(pk=cycle.pk).status == CycleStatus.SELF_ASSESSMENT
    lifecycle.start_review(office, cycle.pk, confirmed=True)
    assert AssessmentCycle.objects.get(pk=cycle.pk).status == CycleStatus.REVIEW
    detail = status_events(cycle)[-1][2]
    assert sorted(u["name"] for u in detail["unsubmitted"]) == ["二支部", "机关支部"]


def test_sign_off_is_refused_with_every_reason_at_once(world):
    t, office, sec1, sec2, cycle = world
    at(cycle, CycleStatus.REVIEW)
    leaf = leaf_of(cycle)
    leaf.params = {"reviewers": 2}
    leaf.save()
    other = make_user("reviewer_b", "office", t.root)
    score(cycle, office, {t.branch1: 4, t.branch2: 4})
    manual_scores.enter(other, cycle, t.branch1.pk, leaf, 4, "同意")
    manual_scores.enter(other, cycle, t.branch2.pk, leaf, 1, "差异大")  # 4 and 1: disputed, 2.5 for now
    with pytest.raises(ValidationError) as refused:
        lifecycle.sign_off(office, cycle.pk)
    assert refused.value.messages == [
        "人工评分项尚有 1 项未评分",
        "人工评分项尚有 1 项评分差异待裁定",
        "“好”等次超出名额：限 1 个，现 2 个，需调整 1 个单位",
    ]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.REVIEW and cycle.signed_at is None


def test_a_quota_is_met_by_moving_a_unit_down_and_its_total_and_rank_stay(world):
    t, office, sec1, sec2, cycle = world
    at(cycle, CycleStatus.REVIEW)
    score(cycle, office, {t.branch1: 4, t.branch2: "1.5", t.office_branch: 3})
    with pytest.raises(ValidationError, match="限 1 个，现 2 个，需调整 1 个单位"):
        lifecycle.sign_off(office, cycle.pk)
    before = band_of(cycle, t.office_branch)
    assert before.result.band == "好" and before.adjusted is None
    with pytest.raises(ValidationError, match="更低"):
        lifecycle.adjust_band(office, cycle.pk, t.branch2.pk, "好", "调高")  # never up
    with pytest.raises(ValidationError, match="更低"):
        lifecycle.adjust_band(office, cycle.pk, t.branch2.pk, "较好", "同档")  # nor to the same band
    with pytest.raises(ValidationError):
        lifecycle.adjust_band(office, cycle.pk, t.office_branch.pk, "较好", " ")  # a reason is required
    lifecycle.adjust_band(office, cycle.pk, t.office_branch.pk, "较好", "名额所限，按总分顺序调整")
    after = band_of(cycle, t.office_branch)
    assert after.result.band == "较好" and after.adjusted == "名额所限，按总分顺序调整"
    assert (after.result.total, after.result.rank) == (before.result.total, before.result.rank)
    assert lifecycle.sign_off_problems(cycle) == []
    lifecycle.sign_off(office, cycle.pk)
    with pytest.raises(ValidationError, match="签批后不能调整"):
        lifecycle.adjust_band(office, cycle.pk, t.branch1.pk, "差", "签批后")
    event = AuditEvent.objects.filter(object_type="assessment.bandadjustment").get()
    assert event.after["band"] == "较好" and event.detail == {"from": "好"}


def test_a_withdrawn_adjustment_gives_the_earned_band_back(world):
    t, office, sec1, sec2, cycle = world
    score(cycle, office, {t.branch1: 4})
    adjustment = lifecycle.adjust_band(office, cycle.pk, t.branch1.pk, "差", "误录")
    assert band_of(cycle, t.branch1).result.band == "差"
    lifecycle.withdraw_adjustment(office, adjustment.pk, "录入错误")
    assert band_of(cycle, t.branch1).result.band == "好"
    assert BandAdjustment.objects.get().withdrawn_reason == "录入错误"  # kept, never deleted


def test_publication_needs_a_deadline_from_today_on(world):
    t, office, sec1, sec2, cycle = world
    at(cycle, CycleStatus.SIGNED)
    with pytest.raises(ValidationError, match="不能早于今天"):
        lifecycle.publish(office, cycle.pk, timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError):
        lifecycle.publish(office, cycle.pk, None)
    assert AssessmentCycle.objects.get(pk=cycle.pk).status == CycleStatus.SIGNED


# --- the publication gate ------------------------------------------------------------------------------------------


def test_before_publication_the_unit_is_told_its_result_is_not_published_and_the_api_gives_nothing(client, world):
    t, office, sec1, sec2, cycle = world
    score(cycle, office, {t.branch1: 4})
    at(cycle, CycleStatus.SIGNED)
    url = reverse("assessment:cycle_unit", args=[cycle.pk, t.branch1.pk])
    api = f"/api/v1/assessment/cycles/{cycle.pk}/results"
    token = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(sec1)}"}
    client.force_login(sec1)
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and "考核结果尚未公布" in page
    assert 'id="result"' not in page and 'id="explanation"' not in page and "4.00" not in page
    assert client.get(api, **token).json() == {"items": [], "count": 0}
    assert client.get(reverse("assessment:cycle_unit", args=[cycle.pk, t.branch2.pk])).status_code == 404
    client.force_login(office)
    assert 'id="result"' in client.get(url).content.decode()  # the office sees it all along
    published(cycle)
    client.force_login(sec1)
    page = client.get(url).content.decode()
    assert "考核结果尚未公布" not in page and 'id="result"' in page
    assert [i["organization"]["id"] for i in client.get(api, **token).json()["items"]] == [t.branch1.pk]


# --- objections ----------------------------------------------------------------------------------------------------


def test_the_objection_window_includes_its_last_day_and_ends_after_it(world):
    t, office, sec1, sec2, cycle = world
    today = timezone.localdate()
    leaf = leaf_of(cycle)
    at(cycle, CycleStatus.SIGNED)
    with pytest.raises(ValidationError, match="尚未公布"):
        objections.raise_objection(sec1, cycle.pk, t.branch1.pk, leaf.pk, "理由")
    published(cycle, deadline=today)
    objection = objections.raise_objection(sec1, cycle.pk, t.branch1.pk, leaf.pk, "学习记录已补交")
    assert objection.status == ObjectionStatus.OPEN
    with pytest.raises(ValidationError, match="待答复"):
        objections.raise_objection(sec1, cycle.pk, t.branch1.pk, leaf.pk, "再提一次")
    published(cycle, deadline=today - timedelta(days=1))
    with pytest.raises(ValidationError, match="异议期已于"):
        objections.raise_objection(sec1, cycle.pk, t.branch1.pk, leaf_of(cycle, "按期完成率").pk, "理由")
    with pytest.raises(Http404):  # not their unit
        objections.raise_objection(sec2, cycle.pk, t.branch1.pk, leaf.pk, "理由")
    assert Objection.objects.count() == 1


def test_an_upheld_manual_objection_is_a_new_entry_that_changes_the_total_unless_a_band_would_overflow(world):
    t, office, sec1, sec2, cycle = world
    leaf = leaf_of(cycle)
    score(cycle, office, {t.branch1: 4, t.branch2: "1.5", t.office_branch: "0.5"})
    published(cycle)
    objection = objections.raise_objection(sec2, cycle.pk, t.branch2.pk, leaf.pk, "学习记录漏算三次")
    with pytest.raises(ValidationError) as refused:  # 3 points would put a second unit in 好 (1 place)
        objections.answer(office, objection.pk, uphold=True, text="复核后更正", score="3")
    assert refused.value.messages == ["“好”等次超出名额：限 1 个，现 2 个，需调整 1 个单位"]
    assert ReviewEntry.objects.filter(kind=EntryKind.OBJECTION).count() == 0  # nothing written
    with pytest.raises(ValidationError):
        objections.answer(office, objection.pk, uphold=True, text="复核后更正")  # the corrected score is needed
    total = band_of(cycle, t.branch2).result.total
    objections.answer(office, objection.pk, uphold=True, text="补计学习记录", score="1.8")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD and objection.answered_by == office
    assert band_of(cycle, t.branch2).result.total == total + Decimal("0.3")
    entry = ReviewEntry.objects.get(kind=EntryKind.OBJECTION)
    assert (entry.objection, entry.score, entry.reason) == (objection, Decimal("1.80"), "补计学习记录")
    assert ReviewEntry.objects.filter(cycle=cycle, unit=t.branch2).count() == 2  # the first score is kept
    assert ManualScore.objects.get(cycle=cycle, unit=t.branch2).score == Decimal("1.80")
    event = AuditEvent.objects.filter(object_type="assessment.objection", action="update").get()
    assert (event.before["status"], event.after["status"]) == ("open", "upheld")
    with pytest.raises(ValidationError, match="已答复"):
        objections.answer(office, objection.pk, uphold=False, text="再答复")


def test_an_objection_on_another_leaf_is_answered_in_words_and_only_the_office_answers(world):
    t, office, sec1, sec2, cycle = world
    published(cycle)
    auto = leaf_of(cycle, "按期完成率")
    objection = objections.raise_objection(sec1, cycle.pk, t.branch1.pk, auto.pk, "6月主题党日已开展")
    with pytest.raises(Http404):
        objections.answer(sec1, objection.pk, uphold=False, text="自己答复")
    with pytest.raises(ValidationError):
        objections.answer(office, objection.pk, uphold=False, text=" ")
    objections.answer(office, objection.pk, uphold=True, text="已补录6月主题党日，重新计算后更正")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD and not ReviewEntry.objects.exists()


# --- pages ---------------------------------------------------------------------------------------------------------


def test_the_cycle_page_shows_the_stepper_the_progress_and_the_next_action(client, world):
    t, office, sec1, sec2, cycle = world
    at(cycle, CycleStatus.SELF_ASSESSMENT)
    SelfAssessment.objects.create(cycle=cycle, unit=t.branch1, submitted_at=timezone.now(), submitted_by=sec1)
    score(cycle, office, {t.branch1: 4})
    client.force_login(office)
    page = client.get(reverse("assessment:cycle", args=[cycle.pk])).content.decode()
    stepper = page[page.index('id="stepper"') : page.index("</p>", page.index('id="stepper"'))]
    assert '<strong class="badge ok" aria-current="step">自评中</strong>' in stepper
    assert "✓ 已开启" in stepper and "已公布" in stepper
    assert "<dd>1 / 3</dd>" in page  # self-assessments submitted
    assert "已评 1 / 3，待裁定 0" in page
    assert reverse("assessment:cycle_advance", args=[cycle.pk]) in page and ">开始审核</a>" in page
    confirm = client.get(reverse("assessment:cycle_advance", args=[cycle.pk])).content.decode()
    unsubmitted = confirm[confirm.index('id="unsubmitted"') : confirm.index("</ul>", confirm.index('id="unsubmitted"'))]
    assert "二支部" in unsubmitted and "机关支部" in unsubmitted and "一支部" not in unsubmitted
    url = reverse("assessment:cycle_advance", args=[cycle.pk])
    client.post(url, {"action": "review"})  # not confirmed: stays
    assert AssessmentCycle.objects.get(pk=cycle.pk).status == CycleStatus.SELF_ASSESSMENT
    assert client.post(url, {"action": "review", "confirm": "on"}).status_code == 302
    assert AssessmentCycle.objects.get(pk=cycle.pk).status == CycleStatus.REVIEW
    client.post(url, {"action": "review", "confirm": "on"})  # a second click does not sign the cycle off
    assert AssessmentCycle.objects.get(pk=cycle.pk).status == CycleStatus.REVIEW


def test_the_sign_off_page_shows_the_distribution_and_the_refusals_and_an_adjustment_shows_on_the_results(
    client, world
):
    t, office, sec1, sec2, cycle = world
    at(cycle, CycleStatus.REVIEW)
    score(cycle, office, {t.branch1: 4, t.branch2: "1.5", t.office_branch: 3})
    client.force_login(office)
    url = reverse("assessment:cycle_advance", args=[cycle.pk])
    page = client.get(url).content.decode()
    problems = page[page.index('id="problems"') : page.index("</div>", page.index('id="problems"'))]
    assert "“好”等次超出名额：限 1 个，现 2 个，需调整 1 个单位" in problems
    assert "<td>好</td><td>2</td><td>1</td>" in page
    adjust = reverse("assessment:cycle_adjust", args=[cycle.pk])
    response = client.post(adjust, {"unit": t.office_branch.pk, "band": "较好", "reason": "名额所限"})
    assert response.status_code == 302
    results_page = client.get(reverse("assessment:cycle", args=[cycle.pk])).content.decode()
    row = results_page[results_page.index("机关支部</a>") :]
    row = row[: row.index("</tr>")]
    assert "较好" in row and "调整" in row and "名额所限" in row
    assert client.post(url, {"action": "sign"}).status_code == 302
    assert AssessmentCycle.objects.get(pk=cycle.pk).status == CycleStatus.SIGNED
    response = client.post(url, {"action": "publish", "objection_deadline": str(timezone.localdate())})
    assert response.status_code == 302
    assert AssessmentCycle.objects.get(pk=cycle.pk).status == CycleStatus.PUBLISHED
    client.force_login(make_user("sec_office", "secretary", t.office_branch))
    unit = client.get(reverse("assessment:cycle_unit", args=[cycle.pk, t.office_branch.pk])).content.decode()
    facts = unit[unit.index('id="result"') : unit.index("</dl>")]
    assert "较好" in facts and "调整" in facts and "名额所限" in facts


def test_a_unit_objects_from_its_result_page_and_reads_the_office_answer(client, world):
    t, office, sec1, sec2, cycle = world
    score(cycle, office, {t.branch1: 2, t.branch2: 1})
    published(cycle)
    leaf = leaf_of(cycle)
    client.force_login(sec1)
    unit_page = client.get(reverse("assessment:cycle_unit", args=[cycle.pk, t.branch1.pk])).content.decode()
    new = reverse("assessment:objection_new", args=[cycle.pk, t.branch1.pk])
    assert new in unit_page
    response = client.post(new, {"indicator": leaf.pk, "reason": "学习记录已补交"})
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.unit_id, objection.raised_by) == (t.branch1.pk, sec1)
    client.force_login(sec2)
    assert client.get(new).status_code == 404
    assert client.get(reverse("assessment:objection_answer", args=[objection.pk])).status_code == 404
    client.force_login(office)
    listing = client.get(reverse("assessment:objection_list", args=[cycle.pk]) + "?status=open").content.decode()
    assert "学习记录已补交" in listing and reverse("assessment:objection_answer", args=[objection.pk]) in listing
    answer = reverse("assessment:objection_answer", args=[objection.pk])
    response = client.post(answer, {"decision": "uphold", "score": "3", "answer": "核实后更正为3分"})
    assert response.status_code == 302
    assert results.results(cycle).row_of(t.branch1.pk).result.total == Decimal("3.00")
    client.force_login(sec1)
    mine = client.get(reverse("assessment:objection_list", args=[cycle.pk])).content.decode()
    assert "核实后更正为3分" in mine and "已采纳" in mine
    client.force_login(sec2)  # branch2 is in the cycle but the objection is branch1's
    assert "学习记录已补交" not in client.get(reverse("assessment:objection_list", args=[cycle.pk])).content.decode()


def test_the_objection_list_takes_a_constant_number_of_queries(client, world):
    t, office, sec1, sec2, cycle = world
    published(cycle)
    leaves = list(cycle.system.indicators.exclude(method=""))
    objections.raise_objection(sec1, cycle.pk, t.branch1.pk, leaves[0].pk, "一")
    client.force_login(office)
    url = reverse("assessment:objection_list", args=[cycle.pk])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for leaf in leaves[1:4]:
        objections.raise_objection(office, cycle.pk, t.branch2.pk, leaf.pk, "多")
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    assert len(four) == len(one)


def test_each_confirmation_page_says_what_the_step_does_and_the_adjust_page_lists_withdrawals(client, world):
    t, office, sec1, sec2, cycle = world
    client.force_login(office)
    url = reverse("assessment:cycle_advance", args=[cycle.pk])
    assert "各单位书记可填报" in client.get(url).content.decode()
    assert client.post(url, {"action": "self_assessment"}).status_code == 302
    assert AssessmentCycle.objects.get(pk=cycle.pk).status == CycleStatus.SELF_ASSESSMENT
    at(cycle, CycleStatus.SIGNED)
    page = client.get(url).content.decode()
    assert 'name="objection_deadline"' in page and "公布结果" in page
    yesterday = str(timezone.localdate() - timedelta(days=1))
    refused = client.post(url, {"action": "publish", "objection_deadline": yesterday}).content.decode()
    assert "异议截止日期不能早于今天" in refused
    assert AssessmentCycle.objects.get(pk=cycle.pk).status == CycleStatus.SIGNED
    published(cycle)
    assert "本考核周期已完成全部步骤" in client.get(url).content.decode()
    cycle_page = client.get(reverse("assessment:cycle", args=[cycle.pk])).content.decode()
    assert 'id="next-action"' not in cycle_page and reverse("assessment:objection_list", args=[cycle.pk]) in cycle_page
    at(cycle, CycleStatus.REVIEW)
    score(cycle, office, {t.branch1: 4})
    adjustment = lifecycle.adjust_band(office, cycle.pk, t.branch1.pk, "差", "误录")
    withdraw = reverse("assessment:cycle_adjustment_withdraw", args=[adjustment.pk])
    assert withdraw in client.get(reverse("assessment:cycle_adjust", args=[cycle.pk])).content.decode()
    assert client.post(withdraw, {"reason": ""}).status_code == 302  # refused: a reason is required
    assert BandAdjustment.objects.get().withdrawn_at is None
    client.post(withdraw, {"reason": "录入错误"})
    page = client.get(reverse("assessment:cycle_adjust", args=[cycle.pk])).content.decode()
    assert "已撤回：录入错误" in page and withdraw not in page


def test_the_sign_off_and_adjust_pages_take_a_constant_number_of_queries(client, world):
    from datetime import date

    from dangjian.assessment.models import CycleUnit
    from dangjian.orgs.models import Organization

    t, office, sec1, sec2, cycle = world
    at(cycle, CycleStatus.REVIEW)
    score(cycle, office, {t.branch1: 4, t.branch2: 3})
    lifecycle.adjust_band(office, cycle.pk, t.branch2.pk, "较好", "名额所限")
    client.force_login(office)
    urls = [reverse("assessment:cycle_advance", args=[cycle.pk]), reverse("assessment:cycle_adjust", args=[cycle.pk])]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    few = counts()
    for i in range(4):
        org = Organization.objects.add_child(
            t.general, dict(kind="branch", code=f"T19{i}", name=f"新支部{i}", founded_on=date(2000, 1, 1))
        )
        CycleUnit.objects.create(cycle=cycle, organization=org, kind="branch")
        manual_scores.enter(office, cycle, org.pk, leaf_of(cycle), 3, "评分")
        lifecycle.adjust_band(office, cycle.pk, org.pk, "差", "名额所限")
    assert counts() == few
