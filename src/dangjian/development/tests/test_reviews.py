"""Half-yearly reviews of an activist (细则 第11条) before the development target is confirmed, at their edges; and
rule look-ups by a date before the first rule version answer in Chinese instead of failing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.development import services
from dangjian.development.models import Development
from dangjian.development.rules import reviews_ok
from dangjian.development.steps import STEPS_2014
from dangjian.development.timeline import BLOCKED, DUE, gate, timeline
from dangjian.testing import make_member, make_person, make_tree, make_user

ACTIVIST = date(2023, 8, 1)
CANDIDATE = date(2024, 8, 1)


# --- the rule (pure) ----------------------------------------------------------------------------------------------


def test_reviews_exactly_six_months_apart_are_enough():
    check = reviews_ok(ACTIVIST, CANDIDATE, [date(2024, 2, 1)])
    assert check.ok and "第11条" in check.citation


def test_a_review_one_day_late_leaves_the_first_half_year_uncovered():
    check = reviews_ok(ACTIVIST, CANDIDATE, [date(2024, 2, 2)])
    assert check.blocked and "2023-08-01 至 2024-02-01" in check.reason and "缺少半年考察" in check.reason


def test_the_candidate_date_one_day_past_six_months_after_the_last_review_is_blocked():
    check = reviews_ok(ACTIVIST, date(2024, 8, 2), [date(2024, 2, 1)])
    assert check.blocked and "2024-02-01 至 2024-08-01" in check.reason


def test_no_review_at_all_names_the_first_half_year():
    check = reviews_ok(ACTIVIST, CANDIDATE, [])
    assert check.blocked and "2023-08-01 至 2024-02-01" in check.reason


def test_month_end_half_years_follow_the_civil_code():
    # 2023-08-31 + 6 months = 2024-02-29 (leap year); + 6 months again = 2024-08-29
    assert reviews_ok(date(2023, 8, 31), date(2024, 8, 29), [date(2024, 2, 29)]).ok
    assert reviews_ok(date(2023, 8, 31), date(2024, 8, 30), [date(2024, 2, 29)]).blocked
    assert reviews_ok(date(2023, 8, 31), date(2024, 8, 29), [date(2024, 3, 1)]).blocked


def test_reviews_outside_the_activist_period_do_not_count():
    before = [date(2023, 7, 31), date(2024, 2, 1)]
    assert reviews_ok(ACTIVIST, CANDIDATE, before).ok
    assert reviews_ok(ACTIVIST, CANDIDATE, [date(2023, 7, 1)]).blocked
    assert reviews_ok(ACTIVIST, date(2024, 1, 1), [date(2024, 2, 1)]).ok  # within the first half-year anyway


def test_far_past_dates_have_no_rule_version():
    with pytest.raises(LookupError):
        reviews_ok(date(2000, 1, 1), date(2001, 1, 1), [])


# --- the case -----------------------------------------------------------------------------------------------------


@pytest.fixture
def world(db):
    t = make_tree()
    sec = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    sec2 = make_user("sec2", "secretary", t.branch2, person=make_member(t.branch2, "书记乙"))
    applicant = make_person("吴积极", department=t.dept1, birth=date(1996, 1, 1))
    contact = make_member(t.branch1, "培养人")
    with context.acting(sec):
        dev = services.open_case(sec, applicant.pk, t.branch1.pk, date(2023, 1, 10))
        services.add_contact(sec, dev.pk, contact.pk, "training_contact")
        for number, day in [(1, date(2023, 1, 10)), (2, date(2023, 1, 20)), (3, ACTIVIST), (4, ACTIVIST)]:
            services.record_step(sec, dev.pk, number, {"done_on": day})
        services.record_step(sec, dev.pk, 5, {"done_on": ACTIVIST})
        services.record_step(sec, dev.pk, 6, {"done_on": date(2023, 9, 1)})  # the first review (考察意见)
        yield t, sec, sec2, dev, contact


def _item(dev, today):
    return next(i for i in timeline(dev, today) if i.step.number == 7)


def test_candidate_is_blocked_without_the_second_half_year_review_then_allowed(world):
    t, sec, sec2, dev, contact = world
    item = _item(dev, CANDIDATE)
    assert (
        item.status == BLOCKED
        and "缺少半年考察" in item.check.reason
        and "2023-09-01 至 2024-03-01" in item.check.reason
    )
    with pytest.raises(ValidationError, match="缺少半年考察.*第11条"):
        services.record_step(sec, dev.pk, 7, {"done_on": CANDIDATE})
    review = services.add_review(sec, dev.pk, date(2024, 3, 1), "学习认真，表现良好", reviewer_id=contact.pk)
    assert AuditEvent.objects.filter(object_type="development.activistreview", object_id=str(review.pk)).exists()
    assert _item(dev, CANDIDATE).status == DUE
    assert _item(dev, date(2024, 9, 1)).status == DUE  # 2024-03-01 + 6 months, the last day
    assert _item(dev, date(2024, 9, 2)).status == BLOCKED
    services.record_step(sec, dev.pk, 7, {"done_on": CANDIDATE})
    with pytest.raises(ValidationError, match="确定为发展对象之前"):
        services.add_review(sec, dev.pk, CANDIDATE, "晚了")


def test_review_dates_and_summary_are_checked(world):
    t, sec, sec2, dev, contact = world
    with pytest.raises(ValidationError, match="考察日期应在"):
        services.add_review(sec, dev.pk, date(2023, 7, 31), "早于积极分子")
    with pytest.raises(ValidationError, match="考察意见"):
        services.add_review(sec, dev.pk, date(2024, 1, 1), " ")


def test_review_form_on_the_case_page_and_scope(world, client):
    t, sec, sec2, dev, contact = world
    client.force_login(sec)
    page = client.get(reverse("development:detail", args=[dev.pk])).content.decode()
    assert 'id="review-form"' in page and "缺少半年考察" in page
    url = reverse("development:review", args=[dev.pk])
    response = client.post(url, {"reviewed_on": "2024-03-01", "summary": "表现良好", "reviewer": contact.pk})
    assert response.status_code == 302
    page = client.get(reverse("development:detail", args=[dev.pk])).content.decode()
    assert "2024-03-01 培养人：表现良好" in page
    client.force_login(sec2)
    assert client.post(url, {"reviewed_on": "2024-03-02", "summary": "x"}).status_code == 404


def test_a_rule_lookup_before_the_first_version_is_a_chinese_check_not_an_error(world):
    t, sec, sec2, dev, contact = world
    old = Development.objects.create(
        person=make_person("旧案", department=t.dept1), branch=t.branch1, started_on=date(2000, 1, 1),
        rule_version="2014", created_by=sec,
    )  # fmt: skip
    check = gate(old, STEPS_2014[0], date(2000, 1, 1), {}, [])
    assert check.blocked and "2000-01-01" in check.reason
    assert timeline(old, date(2024, 1, 1))[0].status == BLOCKED
    with pytest.raises(ValidationError, match="无有效"):
        services.open_case(sec, make_person("更旧", department=t.dept1).pk, t.branch1.pk, date(2000, 1, 1))


def test_bulk_status_sees_the_reviews_like_the_case_page(world):
    from dangjian.development.bulk import bulk_status
    from dangjian.development.timeline import summarize

    t, sec, sec2, dev, contact = world
    cases = Development.objects.filter(pk=dev.pk)
    assert bulk_status(cases, CANDIDATE)[dev.pk].summary.status == BLOCKED
    services.add_review(sec, dev.pk, date(2024, 3, 1), "表现良好")
    got = bulk_status(cases, CANDIDATE)[dev.pk].summary
    assert got.status == summarize(timeline(dev, CANDIDATE), CANDIDATE).status == DUE
