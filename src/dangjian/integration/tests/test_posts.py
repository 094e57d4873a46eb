"""党员示范岗: apply, approve (授牌), reject, review (below the rule's threshold withdrawn), withdraw; refusals in
Chinese; nothing deleted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.integration import posts as svc
from dangjian.integration.models import ModelPost, ModelPostReview
from dangjian.integration.rule_data import POST_MIN_SCORE
from dangjian.rules import services as rule_store

from .posts_world import make_world, post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


TODAY = timezone.localdate


def messages_of(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


def approved(w, **over) -> ModelPost:
    post = svc.apply(w.sec1, post_data(w, **over))
    return svc.approve(w.office, post.pk)


def test_branch_applies_for_a_member_post_and_it_is_audited(w):
    post = svc.apply(w.sec1, post_data(w))
    assert post.status == "applied" and post.holder == w.yi and post.applied_by == w.sec1
    assert AuditEvent.objects.filter(action="create", object_id=str(post.pk)).exists()


def test_holder_must_be_a_current_member_of_the_branch(w):
    with pytest.raises(ValidationError) as exc:
        svc.apply(w.sec1, post_data(w, holder=w.ding))
    assert "岗位党员应为本支部的在册党员" in messages_of(exc)


def test_individual_post_needs_a_holder_and_collective_a_name(w):
    with pytest.raises(ValidationError) as exc:
        svc.apply(w.sec1, post_data(w, holder=None))
    assert "个人示范岗请选择岗位党员" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        svc.apply(w.sec1, post_data(w, kind="collective", holder=None))
    assert "集体示范岗请填写集体名称" in messages_of(exc)
    post = svc.apply(w.sec1, post_data(w, kind="collective", holder=w.yi, collective="一室检定班组"))
    assert post.holder is None and post.collective == "一室检定班组"


def test_secretary_of_other_branch_cannot_apply_for_branch1(w):
    with pytest.raises(Http404):
        svc.apply(w.sec2, post_data(w))


def test_office_approves_with_a_generated_plate_number_then_the_next(w):
    first = approved(w)
    assert first.status == "approved" and first.plate_no == f"SFG{TODAY().year}-001"
    assert first.decided_by == w.office and first.decided_on == TODAY()
    second = approved(w, name="第二个岗")
    assert second.plate_no == f"SFG{TODAY().year}-002"


def test_an_entered_plate_number_must_be_unused(w):
    svc.approve(w.office, svc.apply(w.sec1, post_data(w)).pk, plate_no="一支部-01", note="同意")
    other = svc.apply(w.sec1, post_data(w, name="另一岗"))
    with pytest.raises(ValidationError) as exc:
        svc.approve(w.office, other.pk, plate_no="一支部-01")
    assert "授牌编号“一支部-01”已被使用" in messages_of(exc)


def test_only_the_office_approves(w):
    post = svc.apply(w.sec1, post_data(w))
    with pytest.raises(Http404):
        svc.approve(w.sec1, post.pk)


def test_approve_twice_is_refused(w):
    post = approved(w)
    with pytest.raises(ValidationError) as exc:
        svc.approve(w.office, post.pk)
    assert "只有申请中的示范岗可以审批" in messages_of(exc)


def test_reject_needs_a_reason_and_keeps_it(w):
    post = svc.apply(w.sec1, post_data(w))
    with pytest.raises(ValidationError) as exc:
        svc.reject(w.office, post.pk, reason=" ")
    assert "请填写不予批准的理由" in messages_of(exc)
    post = svc.reject(w.office, post.pk, reason="职责不够具体")
    assert post.status == "rejected" and post.decision_note == "职责不够具体"
    with pytest.raises(ValidationError):
        svc.approve(w.office, post.pk)


def test_review_at_or_above_the_threshold_keeps_the_post(w):
    post = approved(w)
    row = svc.review(w.sec1, post.pk, year=TODAY().year, score=Decimal("80"), comment="良好")
    post.refresh_from_db()
    assert row.kept and post.status == "approved"


def test_review_below_the_default_threshold_withdraws_the_post_and_keeps_history(w):
    post = approved(w)
    row = svc.review(w.sec1, post.pk, year=TODAY().year, score=Decimal("79.5"))
    post.refresh_from_db()
    assert not row.kept
    assert post.status == "withdrawn" and post.withdrawn_on == TODAY()
    assert post.withdraw_reason.startswith("评议得分低于80分")
    assert post.plate_no and ModelPostReview.objects.filter(post=post).count() == 1


def test_the_threshold_is_the_rule_stores_setting(w):
    rule_store.revise(w.office, POST_MIN_SCORE, 60, TODAY(), reason="本单位调整")
    rule_store.forget()
    post = approved(w)
    row = svc.review(w.sec1, post.pk, year=TODAY().year, score=Decimal("70"))
    assert row.kept
    other = approved(w, name="另一岗")
    row = svc.review(w.sec1, other.pk, year=TODAY().year, score=Decimal("59"))
    other.refresh_from_db()
    assert not row.kept and other.withdraw_reason.startswith("评议得分低于60分")


def test_review_refusals(w):
    post = svc.apply(w.sec1, post_data(w))
    with pytest.raises(ValidationError) as exc:
        svc.review(w.sec1, post.pk, year=TODAY().year, score=Decimal(90))
    assert "只有已授牌的示范岗可以评议" in messages_of(exc)
    svc.approve(w.office, post.pk)
    with pytest.raises(ValidationError) as exc:
        svc.review(w.sec1, post.pk, year=TODAY().year, score=Decimal(101))
    assert "评议得分应在0到100之间" in messages_of(exc)
    svc.review(w.sec1, post.pk, year=TODAY().year, score=Decimal(90))
    with pytest.raises(ValidationError) as exc:
        svc.review(w.sec1, post.pk, year=TODAY().year, score=Decimal(95))
    assert f"该示范岗{TODAY().year}年度已评议，不能重复评议" in messages_of(exc)
    with pytest.raises(Http404):
        svc.review(w.sec2, post.pk, year=TODAY().year - 1, score=Decimal(95))


def test_office_withdraws_with_a_reason_only_an_approved_post(w):
    post = approved(w)
    with pytest.raises(ValidationError) as exc:
        svc.withdraw(w.office, post.pk, reason="")
    assert "请填写撤销原因" in messages_of(exc)
    with pytest.raises(Http404):
        svc.withdraw(w.sec1, post.pk, reason="调离")
    post = svc.withdraw(w.office, post.pk, reason="岗位党员调离")
    assert post.status == "withdrawn" and post.withdraw_reason == "岗位党员调离"
    with pytest.raises(ValidationError) as exc:
        svc.withdraw(w.office, post.pk, reason="再撤")
    assert "只有已授牌的示范岗可以撤销" in messages_of(exc)
    assert ModelPost.objects.filter(pk=post.pk).exists()


def test_dates_in_the_future_are_refused(w):
    post = svc.apply(w.sec1, post_data(w))
    future = date(TODAY().year + 1, 1, 1)
    with pytest.raises(ValidationError) as exc:
        svc.approve(w.office, post.pk, decided_on=future)
    assert "审批日期不能晚于今天" in messages_of(exc)


def test_the_threshold_is_an_editable_institute_setting_with_branch_overrides(w):
    assert rule_store.is_editable(POST_MIN_SCORE)
    assert rule_store.default_rule(POST_MIN_SCORE).value == 80
    rule_store.revise(w.office, POST_MIN_SCORE, 90, TODAY(), organization=w.t.branch1, reason="一支部从严")
    rule_store.forget()
    post = approved(w)
    assert svc.threshold(post, TODAY()) == Decimal(90)
    row = svc.review(w.sec1, post.pk, year=TODAY().year, score=Decimal("85"))
    post.refresh_from_db()
    assert not row.kept and post.withdraw_reason.startswith("评议得分低于90分（")
