"""A branch secretary takes an applicant through the development steps in the browser, meets the blocked
steps with their Chinese reasons (a late talk, the activist year not complete, a missing half-yearly review),
corrects them and goes on."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangjian.development.models import Development
from dangjian.testing import PASSWORD, make_member, make_person, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    t = make_tree()
    secretary = make_member(t.branch1, "林书记", department=t.dept1)
    contact = make_member(t.branch1, "王联系", department=t.dept1)
    make_user("sec1", "secretary", t.branch1, person=secretary)
    applicant = make_person("陈申请", department=t.dept1, birth=date(1995, 3, 8), political_status="masses")
    return t, secretary, contact, applicant


def _record(page, day: date) -> None:
    page.fill("#step-form input[name=done_on]", day.isoformat())
    page.click("#step-form button[type=submit]")
    page.wait_for_load_state()


def _next_step(page) -> str:
    return page.locator("#step-form").locator("xpath=preceding-sibling::h2[1]").inner_text()


def test_a_secretary_moves_an_applicant_through_blocked_steps(page, live_server, world):
    t, secretary, contact, applicant = world
    base = live_server.url
    applied = timezone.localdate() - timedelta(days=800)
    login(page, base, "sec1", PASSWORD)

    page.goto(f"{base}/development/new/")
    page.select_option("#id_person", value=str(applicant.pk))
    page.select_option("#id_branch", value=str(t.branch1.pk))
    page.fill("#id_applied_on", applied.isoformat())
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("陈申请")
    dev = Development.objects.get(person=applicant)

    _record(page, applied)  # 1. the application
    assert "记录第2步" in _next_step(page)

    # 2. the talk 40 days later is refused with the reason and the article, then recorded in time
    _record(page, applied + timedelta(days=40))
    alert = page.locator("#step-form .flash-error").inner_text()
    assert "谈话晚于期限" in alert and "第7条" in alert
    assert "记录第2步" in _next_step(page)
    _record(page, applied + timedelta(days=20))
    assert "记录第3步" in _next_step(page)

    activist = applied + timedelta(days=200)
    for day in (activist, activist):  # 3. activist (after 6 months), 4. filed upward
        _record(page, day)

    # 5. training contacts: blocked until one is named, with the reason on the timeline
    assert "应指定1至2名培养联系人" in page.content()
    page.select_option("#id_person", value=str(contact.pk))
    page.select_option("#id_role", value="training_contact")
    page.click("form[action$='/contact/'] button[type=submit]")
    page.wait_for_load_state()
    assert "培养联系人：王联系" in page.content()
    _record(page, activist + timedelta(days=5))
    _record(page, activist + timedelta(days=90))  # 6. training and review

    # 7. the development target 11 months after the activist date: the year is not complete
    _record(page, activist + timedelta(days=330))
    alert = page.locator("#step-form .flash-error").inner_text()
    assert "培养教育考察未满1年" in alert and "第13条" in alert
    # past the anniversary, but the second half-year has no review (第11条): refused, then recorded after one
    _record(page, activist + timedelta(days=368))
    alert = page.locator("#step-form .flash-error").inner_text()
    assert "缺少半年考察" in alert and "第11条" in alert
    page.fill("#review-form input[name=reviewed_on]", (activist + timedelta(days=260)).isoformat())
    page.fill("#review-form textarea[name=summary]", "学习认真，表现良好")
    page.click("#review-form button[type=submit]")
    page.wait_for_load_state()
    assert "学习认真，表现良好" in page.content()
    _record(page, activist + timedelta(days=368))
    assert "记录第8步" in _next_step(page)
    assert "发展对象" in page.locator("h1").inner_text()

    dev.refresh_from_db()
    assert dev.stage == "candidate" and dev.next_step == 8 and dev.steps.count() == 7

    # the funnel counts the candidate and links to the list that shows it
    page.goto(f"{base}/development/funnel/")
    page.click("#funnel-total a[href*='stage=candidate']")
    page.wait_for_load_state()
    assert "陈申请" in page.content()
