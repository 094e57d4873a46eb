"""One assessment cycle from self-assessment to publication, as the people do it (issue 14 §6): the branch secretary
self-assesses with an evidence file (on a phone), a reviewer of the scoring department scores each unit's manual item
having read the evidence, the office moves the cycle on, signs it off and publishes it, and the secretary then reads
the result with each score's explanation — the reviewer's reason on the manual item and the rule on the auto one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangjian.assessment import cycles, review
from dangjian.assessment.models import AssessmentCycle, Evidence, ManualScore
from dangjian.assessment.tests.cycle_factories import open_cycle, published_system, theme_day
from dangjian.core import context
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _advance(page, base: str, cycle: AssessmentCycle, *, confirm: bool = False, deadline: str = "") -> None:
    page.goto(f"{base}/assessment/cycles/{cycle.pk}/")
    page.click("#next-action")
    if confirm:
        page.check("input[name=confirm]")
    if deadline:
        page.fill("input[name=objection_deadline]", deadline)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")


def _score(page, base: str, cycle: AssessmentCycle, unit: int, leaf: int, score: str, reason: str) -> None:
    page.goto(f"{base}/assessment/cycles/{cycle.pk}/review/{unit}/")
    page.fill(f"#score-{leaf}", score)
    page.fill(f"#reason-{leaf}", reason)
    page.locator("form.form", has=page.locator(f"#score-{leaf}")).locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_self_assessment_review_sign_off_and_the_explained_result(
    browser, page, phone, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    t = make_tree()
    office = make_user("office", "office", t.root)
    make_user("secretary", "secretary", t.branch1, person=make_member(t.branch1, "书记"))
    reviewer = make_user("reviewer")
    with context.acting(office):
        system = published_system(office)
        theme_day(t.branch1, date(2026, 3, 10))
        cycle = open_cycle(office, system, [t.branch1, t.branch2])
        cycles.compute(cycle, office)
        leaf = cycle.system.indicators.get(name="理论学习")
        review.assign(office, cycle.pk, review.department_of(leaf), reviewer.pk)

    # the office opens self-assessment
    login(page, base, "office", PASSWORD)
    _advance(page, base, cycle)
    assert "自评中" in page.locator("#stepper").inner_text()

    # the secretary, on a phone: a self-score, a narrative and an evidence file, then submits
    login(phone, base, "secretary", PASSWORD)
    phone.goto(f"{base}/assessment/cycles/")
    phone.click("a:text-is('自评')")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.fill(f"input[name=score_{leaf.pk}]", "3.5")
    phone.fill(f"textarea[name=narrative_{leaf.pk}]", "全年集中学习11次，参学率96%。")
    phone.fill("textarea[name=narrative]", "支部全年按计划开展理论学习。")
    phone.click("#scores button[type=submit]")
    phone.wait_for_load_state("networkidle")
    evidence = tmp_path / "学习记录.pdf"
    evidence.write_bytes(PDF)
    upload = phone.locator("form[enctype='multipart/form-data']").first
    upload.locator("input[name=title]").fill("全年学习记录")
    upload.locator("input[name=file]").set_input_files(str(evidence))
    upload.locator("button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    assert "全年学习记录" in phone.content()
    phone.once("dialog", lambda d: d.accept())
    phone.click("#self-submit button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert "已提交" in phone.content()
    assert Evidence.objects.filter(cycle=cycle, unit=t.branch1).count() == 1

    # the office starts review (branch2 never submitted: named on the confirmation, confirmed)
    _advance(page, base, cycle, confirm=True)
    assert "审核中" in page.locator("#stepper").inner_text()

    # the reviewer (at a desk of their own) reads the self-assessment and its evidence, and scores both units
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    other = desk.new_page()
    login(other, base, "reviewer", PASSWORD)
    other.goto(f"{base}/assessment/cycles/{cycle.pk}/review/")
    assert "一支部" in other.content() and "二支部" in other.content()
    other.goto(f"{base}/assessment/cycles/{cycle.pk}/review/{t.branch1.pk}/")
    assert "3.50" in other.content() and "全年集中学习11次" in other.content()
    with other.expect_download() as download:
        other.click("text=全年学习记录")
    assert download.value.path().read_bytes() == PDF
    _score(other, base, cycle, t.branch1.pk, leaf.pk, "3", "学习记录齐全，缺少研讨发言记录。")
    _score(other, base, cycle, t.branch2.pk, leaf.pk, "1.5", "未提交自评和学习记录。")
    desk.close()
    assert ManualScore.objects.filter(cycle=cycle).count() == 2

    # the office signs off and publishes, with a week for objections
    _advance(page, base, cycle)
    assert "已签批" in page.locator("#stepper").inner_text()
    _advance(page, base, cycle, deadline=(timezone.localdate() + timedelta(days=7)).isoformat())
    cycle.refresh_from_db()
    assert cycle.status == "published" and cycle.signed_by == office

    # the secretary reads the result: the manual item with the reviewer's reason, the auto one with its rule
    phone.goto(f"{base}/assessment/cycles/{cycle.pk}/units/{t.branch1.pk}/")
    table = phone.locator("#explanation")
    manual = table.locator("tr", has_text="理论学习")
    assert "3.00" in manual.inner_text() and "学习记录齐全" in manual.inner_text()
    assert "reviewer" not in manual.inner_text()  # a reviewer's name is the office's to see
    assert "第十六条" in table.locator("tr", has_text="得 0.50 分（满分 6.00 分）").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(tmp_path / "result-phone.png"), full_page=True)
