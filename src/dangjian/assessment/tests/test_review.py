"""审核评分 (issue 14 §2): reviewers per scoring department, never for their own unit, only while the cycle is in
review; two reviewers averaged or settled by the office; the pages' scope and their constant query counts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment import review, review_home, review_queue
from dangjian.assessment.models import CycleUnit, EntryKind, Evidence, ManualScore, ReviewEntry, Reviewer, SelfScore
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.orgs.models import Organization
from dangjian.testing import make_member, make_tree, make_user

from .cycle_factories import open_cycle, published_system

OFFICE = review.OFFICE_DEPARTMENT
PDF = b"%PDF-1.4\n" + b"0" * 32


@pytest.fixture
def world(db, settings, tmp_path):
    """A cycle in review over branch1 and branch2; reviewers: ``a`` a member of branch1, ``b`` branch2's
    secretary, ``c`` and ``d`` of no unit; the manual leaf 理论学习 has no department (the office's)."""
    settings.MEDIA_ROOT = tmp_path
    t = make_tree()
    office = make_user("office_review", "office", t.root)
    a = make_user("rev_a", person=make_member(t.branch1, "评甲"))
    b = make_user("rev_b", "secretary", t.branch2)
    c = make_user("rev_c")
    d = make_user("rev_d")
    with context.acting(office):
        cycle = open_cycle(office, published_system(office), [t.branch1, t.branch2])
        cycle.status = "review"
        cycle.save()
        for user in (a, b, c, d):
            review.assign(office, cycle.pk, OFFICE, user.pk)
        leaf = cycle.system.indicators.get(name="理论学习")
        yield t, office, cycle, leaf, (a, b, c, d)


def test_a_blank_scoring_department_is_the_office_and_the_only_department_offered(world):
    t, office, cycle, leaf, _users = world
    assert leaf.scoring_department == ""
    assert review.department_of(leaf) == "党委办公室"
    assert review.departments(review.manual_leaves(cycle)) == ["党委办公室"]


def test_assign_checks_the_office_the_department_and_the_account(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    e = make_user("rev_e")
    with pytest.raises(Http404):
        review.assign(b, cycle.pk, OFFICE, e.pk)  # a branch secretary is not the office
    with pytest.raises(ValidationError, match="打分部门"):
        review.assign(office, cycle.pk, "宣传", e.pk)  # no manual leaf of this cycle is scored by 宣传
    e.is_active = False
    e.save()
    with pytest.raises(ValidationError, match="启用中"):
        review.assign(office, cycle.pk, OFFICE, e.pk)
    with pytest.raises(ValidationError, match="已是"):
        review.assign(office, cycle.pk, OFFICE, c.pk)
    assert AuditEvent.objects.filter(action="create", object_type__icontains="reviewer").count() == 4


def test_removing_a_reviewer_keeps_the_row_and_stops_their_scores(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    row = Reviewer.objects.get(cycle=cycle, user=c)
    with context.acting(office):
        review.remove(office, row.pk)
    row.refresh_from_db()
    assert row.removed_at is not None
    assert AuditEvent.objects.filter(action="update", object_id=str(row.pk)).exists()
    with pytest.raises(ValidationError, match="评分人"):
        review.review(c, cycle.pk, t.branch1.pk, leaf.pk, "3", "理由")
    with pytest.raises(ValidationError):
        review.remove(office, row.pk)  # once
    review.assign(office, cycle.pk, OFFICE, c.pk)  # and may be named again
    assert Reviewer.objects.filter(cycle=cycle, user=c).count() == 2


def test_a_member_of_the_unit_cannot_review_it_but_reviews_another(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    assert not review.may_review(a, cycle, t.branch1.pk, leaf)
    with pytest.raises(ValidationError, match="回避"):
        review.review(a, cycle.pk, t.branch1.pk, leaf.pk, "3", "学习扎实")
    assert review.may_review(a, cycle, t.branch2.pk, leaf)
    review.review(a, cycle.pk, t.branch2.pk, leaf.pk, "3", "学习扎实")
    assert ManualScore.objects.get(cycle=cycle, unit=t.branch2, indicator=leaf).score == Decimal("3.00")


def test_a_member_of_a_branch_does_not_review_the_general_branch_above_it(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    assert review.own_units(a).covers(t.general.pk, t.general.path)
    assert not review.own_units(a).covers(t.branch2.pk, t.branch2.path)


def test_the_secretary_of_a_unit_cannot_review_it_but_reviews_another(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    with pytest.raises(ValidationError, match="回避"):
        review.review(b, cycle.pk, t.branch2.pk, leaf.pk, "3", "学习扎实")
    review.review(b, cycle.pk, t.branch1.pk, leaf.pk, "2", "记录不全")
    assert not review.may_review(b, cycle, t.branch2.pk, leaf)


def test_only_a_reviewer_of_the_leafs_department_scores_it(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    other = make_user("rev_other")
    Reviewer.objects.create(cycle=cycle, department="宣传", user=other, added_by=office)
    assert not review.may_review(other, cycle, t.branch1.pk, leaf)
    with pytest.raises(ValidationError, match="党委办公室"):
        review.review(other, cycle.pk, t.branch1.pk, leaf.pk, "3", "理由")
    leaf.scoring_department = "宣传"
    leaf.save()
    assert review.may_review(other, cycle, t.branch1.pk, leaf)
    with pytest.raises(ValidationError, match="宣传"):
        review.review(c, cycle.pk, t.branch1.pk, leaf.pk, "3", "理由")


def test_scores_are_taken_only_while_the_cycle_is_in_review(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    for status in ("open", "self_assessment", "signed", "published"):
        cycle.status = status
        cycle.save()
        with pytest.raises(ValidationError, match="审核阶段"):
            review.review(c, cycle.pk, t.branch1.pk, leaf.pk, "3", "理由")
    assert not ReviewEntry.objects.exists()


def test_a_score_needs_a_reason_and_stays_within_the_points(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    with pytest.raises(ValidationError, match="理由"):
        review.review(c, cycle.pk, t.branch1.pk, leaf.pk, "3", "  ")
    with pytest.raises(ValidationError):
        review.review(c, cycle.pk, t.branch1.pk, leaf.pk, "5", "超过分值")
    with pytest.raises(Http404):
        review.review(c, cycle.pk, t.office_branch.pk, leaf.pk, "3", "不在本周期")


def test_two_reviewers_average_a_dispute_goes_to_the_office_and_settlement_closes_the_item(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    leaf.params = {"reviewers": 2}
    leaf.save()
    unit = t.branch1.pk
    with context.acting(c):
        review.review(c, cycle.pk, unit, leaf.pk, "4", "学习记录齐全")
    assert not ManualScore.objects.filter(cycle=cycle).exists()
    with pytest.raises(ValidationError, match="裁定"):  # nothing to settle yet: one of two, before the deadline
        review.settle(office, cycle.pk, unit, leaf.pk, "3", "提前裁定")
    with context.acting(d):
        review.review(d, cycle.pk, unit, leaf.pk, "1", "缺三个月记录")
    row = ManualScore.objects.get(cycle=cycle, unit_id=unit, indicator=leaf)
    assert row.score == Decimal("2.50") and row.disputed
    with pytest.raises(Http404):
        review.settle(c, cycle.pk, unit, leaf.pk, "3", "评分人不能裁定")
    with context.acting(office):
        review.settle(office, cycle.pk, unit, leaf.pk, "3", "核实记录后裁定")
    row.refresh_from_db()
    assert row.score == Decimal("3.00") and not row.disputed
    with pytest.raises(ValidationError, match="该项已由党委办公室裁定"):
        review.review(c, cycle.pk, unit, leaf.pk, "4", "再评")
    with pytest.raises(ValidationError, match="该项已由党委办公室裁定"):
        review.settle(office, cycle.pk, unit, leaf.pk, "2", "再裁定")
    kinds = list(ReviewEntry.objects.filter(cycle=cycle, unit_id=unit).values_list("kind", flat=True))
    assert kinds == [EntryKind.REVIEW, EntryKind.REVIEW, EntryKind.SETTLEMENT]
    audited = AuditEvent.objects.filter(action="create", object_type__icontains="reviewentry")
    assert audited.count() == 3
    assert {e.actor_id for e in audited} == {c.pk, d.pk, office.pk}


def test_two_close_scores_average_without_dispute(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    leaf.params = {"reviewers": 2}
    leaf.save()
    review.review(c, cycle.pk, t.branch2.pk, leaf.pk, "3", "较好")
    review.review(a, cycle.pk, t.branch2.pk, leaf.pk, "4", "好")
    row = ManualScore.objects.get(cycle=cycle, unit=t.branch2, indicator=leaf)
    assert row.score == Decimal("3.50") and not row.disputed
    with pytest.raises(ValidationError):
        review.settle(office, cycle.pk, t.branch2.pk, leaf.pk, "3", "无争议不裁定")


def test_after_the_deadline_the_office_settles_an_item_short_of_reviewers(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    leaf.params = {"reviewers": 2}
    leaf.save()
    review.review(c, cycle.pk, t.branch1.pk, leaf.pk, "4", "好")
    cycle.review_deadline = timezone.localdate() - timedelta(days=2)
    cycle.save()
    review.settle(office, cycle.pk, t.branch1.pk, leaf.pk, "3.5", "第二名评分人未按时评分")
    assert ManualScore.objects.get(cycle=cycle, unit=t.branch1, indicator=leaf).score == Decimal("3.50")


# --- the queue and the home item


def test_the_queue_leaves_out_own_units_and_says_what_is_done(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    assert [(i.unit_id, i.status) for i in review_queue.items(a, [cycle.pk])] == [(t.branch2.pk, "todo")]
    review.review(a, cycle.pk, t.branch2.pk, leaf.pk, "3", "好")
    [item] = review_queue.items(a, [cycle.pk])
    assert (item.status, item.mine, item.counted) == ("done", Decimal("3.00"), Decimal("3.00"))
    statuses = {i.unit_id: i.status for i in review_queue.items(c, [cycle.pk])}
    assert statuses == {t.branch1.pk: "todo", t.branch2.pk: "done"}  # done by another reviewer: not waiting for c


def test_home_item_counts_what_waits_for_the_reviewer(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    [item] = review_home.home_items(c, date(2027, 1, 10))
    assert item.text == "考核评分待完成 2 项" and item.count == 2 and item.level == "due"
    assert item.link.startswith(reverse("assessment:review_queue", args=[cycle.pk]))
    review.review(c, cycle.pk, t.branch1.pk, leaf.pk, "3", "好")
    [item] = review_home.home_items(c, date(2027, 2, 10))
    assert item.count == 1 and item.level == "late"
    assert review_home.home_items(make_user("nobody"), date(2027, 1, 10)) == []
    cycle.status = "signed"
    cycle.save()
    assert review_home.home_items(c, date(2027, 1, 10)) == []


# --- pages


def _evidence(cycle, unit, leaf, user):
    return Evidence.objects.create(
        cycle=cycle,
        unit=unit,
        indicator=leaf,
        title="学习记录",
        file=SimpleUploadedFile("record.pdf", PDF),
        uploaded_by=user,
    )


def test_every_review_page_is_404_to_a_branch_secretary_and_a_non_reviewer(client, world):
    t, office, cycle, leaf, (a, b, c, d) = world
    secretary = make_user("sec_branch1", "secretary", t.branch1)
    outsider = make_user("not_a_reviewer")
    ev = _evidence(cycle, t.branch1, leaf, secretary)
    row = Reviewer.objects.get(cycle=cycle, user=c)
    urls = [
        reverse("assessment:review_queue", args=[cycle.pk]),
        reverse("assessment:review_unit", args=[cycle.pk, t.branch1.pk]),
        reverse("assessment:review_evidence_file", args=[ev.pk]),
        reverse("assessment:review_reviewers", args=[cycle.pk]),
        reverse("assessment:review_reviewer_remove", args=[row.pk]),
        reverse("assessment:review_disputes", args=[cycle.pk]),
    ]
    for user in (secretary, outsider):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
            assert client.post(url, {"indicator": leaf.pk, "score": "1", "reason": "x"}).status_code == 404, url
    assert not ReviewEntry.objects.exists() and Reviewer.objects.get(pk=row.pk).removed_at is None
    client.force_login(c)  # a reviewer opens the reviewer's pages, not the office's
    assert [client.get(u).status_code for u in urls] == [200, 200, 200, 404, 404, 404]
    client.force_login(a)  # ... and never their own unit's
    assert client.get(urls[1]).status_code == 404 and client.get(urls[2]).status_code == 404
    client.force_login(office)
    assert [client.get(u).status_code for u in urls[2:]] == [200, 200, 200, 200]


def test_the_scoring_page_shows_the_units_self_score_and_evidence_and_takes_a_score(client, world):
    t, office, cycle, leaf, (a, b, c, d) = world
    secretary = make_user("sec_branch2", "secretary", t.branch2)
    SelfScore.objects.create(
        cycle=cycle, unit=t.branch2, indicator=leaf, score=4, narrative="全年学习12次", updated_by=secretary
    )
    ev = _evidence(cycle, t.branch2, leaf, secretary)
    client.force_login(a)
    url = reverse("assessment:review_unit", args=[cycle.pk, t.branch2.pk])
    html = client.get(url).content.decode()
    assert "全年学习12次" in html and reverse("assessment:review_evidence_file", args=[ev.pk]) in html
    download = client.get(reverse("assessment:review_evidence_file", args=[ev.pk]))
    assert download.content == PDF and "attachment" in download["Content-Disposition"]
    response = client.post(url, {"indicator": leaf.pk, "score": "9", "reason": "超过分值"})
    assert response.status_code == 200 and "超过分值" in response.content.decode()  # the form keeps what was typed
    assert not ReviewEntry.objects.exists()
    response = client.post(url, {"indicator": leaf.pk, "score": "3.5", "reason": "记录完整"})
    assert response.status_code == 302
    entry = ReviewEntry.objects.get()
    assert (entry.unit_id, entry.score, entry.reason, entry.entered_by_id) == (
        t.branch2.pk,
        Decimal("3.50"),
        "记录完整",
        a.pk,
    )


def test_the_office_adds_and_removes_a_reviewer_on_its_page(client, world):
    t, office, cycle, leaf, (a, b, c, d) = world
    e = make_user("rev_e")
    client.force_login(office)
    page = client.get(reverse("assessment:review_reviewers", args=[cycle.pk]), {"q": "rev_e"}).content.decode()
    assert f'value="{e.pk}"' in page
    client.post(reverse("assessment:review_reviewers", args=[cycle.pk]), {"department": OFFICE, "user": e.pk})
    row = Reviewer.objects.get(cycle=cycle, user=e)
    remove = reverse("assessment:review_reviewer_remove", args=[row.pk])
    assert "确定将" in client.get(remove).content.decode()  # asks first
    assert Reviewer.objects.get(pk=row.pk).removed_at is None
    client.post(remove)
    assert Reviewer.objects.get(pk=row.pk).removed_at is not None


def test_the_disputes_page_shows_both_reviewers_and_settles(client, world):
    t, office, cycle, leaf, (a, b, c, d) = world
    leaf.params = {"reviewers": 2}
    leaf.save()
    review.review(c, cycle.pk, t.branch1.pk, leaf.pk, "4", "理由丙")
    review.review(d, cycle.pk, t.branch1.pk, leaf.pk, "1", "理由丁")
    client.force_login(office)
    url = reverse("assessment:review_disputes", args=[cycle.pk])
    html = client.get(url).content.decode()
    assert "理由丙" in html and "理由丁" in html and "rev_c" in html
    client.post(url, {"unit": t.branch1.pk, "indicator": leaf.pk, "score": "2", "reason": "裁定理由"})
    assert ManualScore.objects.get(cycle=cycle, unit=t.branch1).score == Decimal("2.00")
    assert "没有待裁定的事项" in client.get(url).content.decode()


def test_the_units_result_shows_the_counted_manual_score_and_reasons_names_to_the_office_only(client, world):
    t, office, cycle, leaf, (a, b, c, d) = world
    review.review(c, cycle.pk, t.branch1.pk, leaf.pk, "3.5", "学习记录完整")
    url = reverse("assessment:cycle_unit", args=[cycle.pk, t.branch1.pk])
    client.force_login(office)
    html = client.get(url).content.decode()
    assert '<span class="manual-score">3.50</span>' in html and "学习记录完整（rev_c）" in html
    client.force_login(make_user("sec_b1", "secretary", t.branch1))
    assert "manual-score" not in client.get(url).content.decode()  # the unit sees its result once published
    cycle.status = "published"
    cycle.save()
    html = client.get(url).content.decode()
    assert '<span class="manual-score">3.50</span>' in html and "学习记录完整" in html
    assert "rev_c" not in html


# --- query counts: 2 units against 6


def _more_branches(t):
    extra = []
    for n in range(4):
        general = Organization.objects.get(pk=t.general.pk)
        extra.append(
            Organization.objects.add_child(
                general, dict(kind="branch", code=f"T09{n}", name=f"增支部{n}", founded_on=date(2000, 1, 1))
            )
        )
    return extra


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_read_a_constant_number_of_queries_for_2_and_6_units(client, world):
    t, office, cycle, leaf, (a, b, c, d) = world
    leaf.params = {"reviewers": 2}
    leaf.save()
    extra = _more_branches(t)
    with context.acting(office):
        # another system's cycle: neither cycle is the other's previous one (the results would compare them)
        big = open_cycle(office, published_system(office, "另一体系"), [t.branch1, t.branch2, *extra])
        big.status = "review"
        big.save()
        review.assign(office, big.pk, OFFICE, c.pk)
        review.assign(office, big.pk, OFFICE, d.pk)
    big_leaf = big.system.indicators.get(name="理论学习")
    big_leaf.params = {"reviewers": 2}
    big_leaf.save()
    for each, each_leaf, units in (
        (cycle, leaf, [t.branch1, t.branch2]),
        (big, big_leaf, [t.branch1, t.branch2, *extra]),
    ):
        for unit in units:
            review.review(c, each.pk, unit.pk, each_leaf.pk, "4", "好")
            review.review(d, each.pk, unit.pk, each_leaf.pk, "1", "差")  # every item disputed
            _evidence(each, unit, each_leaf, office)
    client.force_login(c)
    small = _count(client, reverse("assessment:review_queue", args=[cycle.pk]))
    assert small == _count(client, reverse("assessment:review_queue", args=[big.pk]))
    small = _count(client, reverse("assessment:review_unit", args=[cycle.pk, t.branch1.pk]))
    assert small == _count(client, reverse("assessment:review_unit", args=[big.pk, extra[-1].pk]))
    client.force_login(office)
    for name in ("review_disputes", "review_reviewers"):
        small = _count(client, reverse(f"assessment:{name}", args=[cycle.pk]))
        assert small == _count(client, reverse(f"assessment:{name}", args=[big.pk])), name
    small = _count(client, reverse("assessment:cycle_unit", args=[cycle.pk, t.branch1.pk]))
    assert small == _count(client, reverse("assessment:cycle_unit", args=[big.pk, extra[-1].pk]))
    nobody = make_user("rev_f")
    with CaptureQueriesContext(connection) as queries:
        assert review_home.home_items(nobody, date(2027, 1, 10)) == []
    assert len(queries) == 1


def test_the_queue_page_filters_by_unit_status_and_department(client, world):
    t, office, cycle, leaf, (a, b, c, d) = world
    review.review(c, cycle.pk, t.branch1.pk, leaf.pk, "3", "好")
    client.force_login(c)
    url = reverse("assessment:review_queue", args=[cycle.pk])

    def units(**params):
        html = client.get(url, params).content.decode()
        return [name for name in ("一支部", "二支部") if f">{name}</a>" in html]

    assert units() == ["一支部", "二支部"]
    assert units(status="todo") == ["二支部"]
    assert units(status="done") == ["一支部"]
    assert units(q="二") == ["二支部"]
    assert units(department=OFFICE, status="settled") == []
    assert "没有符合条件的评分项" in client.get(url, {"status": "disputed"}).content.decode()


def test_home_items_read_few_queries_over_several_cycles(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    with context.acting(office):
        other = open_cycle(office, published_system(office, "另一体系"), [t.branch1, t.branch2, t.office_branch])
        other.status = "review"
        other.save()
        review.assign(office, other.pk, OFFICE, c.pk)
    with CaptureQueriesContext(connection) as queries:
        found = review_home.home_items(c, date(2027, 1, 10))
    assert sorted(i.count for i in found) == [2, 3]
    # counted in the database: a few queries a cycle in review, the same with three more units in each
    few = len(queries)
    assert few <= 1 + 8 * 2
    extra = _more_branches(t)
    for each in (cycle, other):
        CycleUnit.objects.bulk_create(CycleUnit(cycle=each, organization=org, kind=org.kind) for org in extra)
    with CaptureQueriesContext(connection) as queries:
        found = review_home.home_items(c, date(2027, 1, 10))
    assert len(queries) == few and sorted(i.count for i in found) == [6, 7]


def test_a_removed_reviewers_scores_stop_counting_and_the_item_is_settled_again(world):
    t, office, cycle, leaf, (a, b, c, d) = world
    unit = t.branch2.pk
    with context.acting(office):
        review.review(c, cycle.pk, unit, leaf.pk, Decimal(4), "记录齐全")
        review.review(d, cycle.pk, unit, leaf.pk, Decimal(3), "个别月份缺记录")
        assert ManualScore.objects.get(cycle=cycle, unit_id=unit, indicator=leaf).score == Decimal("3.50")
        review.remove(office, Reviewer.objects.get(cycle=cycle, user=d).pk)
        assert ManualScore.objects.get(cycle=cycle, unit_id=unit, indicator=leaf).score == Decimal("4.00")
        review.remove(office, Reviewer.objects.get(cycle=cycle, user=c).pk)
    # no score counts now: the item is unscored again, and every entry is still recorded
    assert not ManualScore.objects.filter(cycle=cycle, unit_id=unit, indicator=leaf).exists()
    assert ReviewEntry.objects.filter(cycle=cycle, unit_id=unit, indicator=leaf).count() == 2
