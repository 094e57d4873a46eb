"""A health officer of the committee records consent for the year, imports a checkup sheet (first with errors,
all listed at once and nothing written), runs the screening, finds the highest-risk person first in the queue and
records a follow-up (first with a next check date before the contact date, refused in Chinese)."""

from datetime import date, timedelta

import pytest
from django.template.defaultfilters import floatformat
from django.utils import timezone

from dangjian.health.models import Checkup, Consent, FollowUp, FollowUpRecord, ScreeningResult
from dangjian.health.tests.sheets import full_row, workbook
from dangjian.idgen import make_id_number
from dangjian.pytest_plugin import TEST_HEALTH_KEY
from dangjian.testing import PASSWORD, make_member, make_person, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNKNOWN = make_id_number(date(1990, 1, 1), "M", serial=499, region="110105")
SBP, TC, ID = "收缩压(mmHg)", "总胆固醇(mmol/L)", "公民身份号码"
# The colorectal questionnaire answered "no" everywhere, so that only what a row sets decides the flags.
NO_CRC = {"吸烟史（现在或过去）": "否", "一级亲属患结直肠癌": "否", "本人有癌症史": "否", "本人有肠息肉史": "否",
          "慢性便秘": "否", "慢性腹泻": "否", "黏液血便": "否", "近20年不良生活事件": "否",
          "慢性阑尾炎或阑尾切除史": "否", "慢性胆道疾病或胆囊切除史": "否"}  # fmt: skip


@pytest.fixture(autouse=True)
def health_settings(settings):
    # The live server runs in this process: the fixed test key, and runs that finish within the request.
    settings.DANGJIAN_HEALTH_KEY = TEST_HEALTH_KEY
    settings.TASKS_INLINE = True


@pytest.fixture
def world():
    t = make_tree()
    officer = make_person("周医生", department=t.dept1)
    make_user("ho", "health_officer", t.root, person=officer)
    high = make_member(t.branch1, "赵大", department=t.dept1, birth=date(1962, 3, 1))
    fit = make_member(t.branch2, "钱二", department=t.dept2, birth=date(1975, 8, 1))
    woman = make_member(t.branch1, "孙三", department=t.dept1, sex="F", birth=date(1985, 6, 15))
    return t, high, fit, woman


def _rows(high, fit, woman, year: int, **bad) -> list[dict]:
    day = f"{year}-01-01"  # never in the future, never after the contact recorded today
    return [
        full_row(high, **{**NO_CRC, "体检日期": day, SBP: bad.get("sbp", 185), TC: 6.5,
                          "高密度脂蛋白胆固醇(mmol/L)": 0.9, "腰围(cm)": 98, "目前吸烟": "是", "糖尿病": "是",
                          "吸烟史（现在或过去）": "是"}),  # fmt: skip
        full_row(fit, **{**NO_CRC, "体检日期": day, SBP: 125, "粪便免疫化学检测（FIT）": "阳性"}),
        full_row(woman, **{**NO_CRC, "体检日期": day, SBP: 118, TC: bad.get("tc", 4.8),
                           ID: bad.get("id", woman.id_number), "胃蛋白酶原比值": None, "胃泌素-17(pmol/L)": None}),
    ]  # fmt: skip


def _upload(page, base, path, data: bytes, year: int) -> None:
    path.write_bytes(data)
    page.goto(f"{base}/health/import/")
    page.fill("#id_year", str(year))
    page.set_input_files("#id_file", str(path))
    submit(page, "form.form button[type=submit]")


def submit(page, target) -> None:
    """Click a submit button (a selector or a locator) and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        (page.locator(target) if isinstance(target, str) else target).click()


def test_a_health_officer_imports_screens_and_follows_up(page, live_server, world, tmp_path):
    t, high, fit, woman = world
    base = live_server.url
    today = timezone.localdate()
    year = today.year
    login(page, base, "ho", PASSWORD)

    # 0. consent for the year, for everyone of the committee (preview, then confirm)
    page.goto(f"{base}/health/consent/bulk/")
    page.select_option("#id_org", value=str(t.root.pk))
    page.fill("#id_year", str(year))
    page.fill("#id_on", f"{today:%Y-%m-%d}")
    submit(page, "form.form button[type=submit]")
    assert "将为 3 人登记" in page.locator("#bulk-preview").inner_text()
    assert not Consent.objects.exists()
    submit(page, page.get_by_role("button", name="确认登记"))
    assert "已为3人登记" in page.content()
    assert Consent.objects.active().filter(year=year).count() == 3

    # 1. a sheet with errors in two rows and three columns: every error listed, nothing written
    rows = _rows(high, fit, woman, year, sbp=260, tc=200, id=UNKNOWN)
    _upload(page, base, tmp_path / "体检-有误.xlsx", workbook(rows), year)
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 3, page.locator("main").inner_text()
    listed = [[c.strip() for c in errors.nth(i).locator("td").all_inner_texts()] for i in range(3)]
    found = {(r[0], r[1]) for r in listed}
    assert found == {("第 2 行", SBP), ("第 4 行", TC), ("第 4 行", ID)}
    by_cell = {(r[0], r[1]): r for r in listed}
    assert by_cell[("第 2 行", SBP)][2] == "260" and "70–200" in by_cell[("第 2 行", SBP)][3]
    assert by_cell[("第 4 行", TC)][2] == "200" and "mmol/L" in by_cell[("第 4 行", TC)][3]
    assert page.locator("#confirm-import").count() == 0
    assert not Checkup.objects.exists()

    # 2. the corrected sheet: dry run passes, confirm, imported
    _upload(page, base, tmp_path / "体检.xlsx", workbook(_rows(high, fit, woman, year)), year)
    assert page.locator("#dry-run-ok").is_visible(), page.locator("main").inner_text()
    assert not Checkup.objects.exists()  # a dry run writes nothing
    submit(page, "#confirm-import")
    assert page.locator("#import-done").is_visible(), page.locator("main").inner_text()
    assert Checkup.objects.filter(year=year).count() == 3

    # 3. the screening run for the year: done, three people scored, the missing gastric labs counted
    page.goto(f"{base}/health/runs/")
    page.fill("#start-run input[name=year]", str(year))
    submit(page, "#start-run button[type=submit]")
    done = page.locator("#run-done")
    done.wait_for()  # inline in tests; the page would otherwise poll every 2 s until this appears
    assert "共评分 3 人，其中 2 人需随访" in done.inner_text()
    gastric = page.locator("#run-models tr[data-model=gastric]").inner_text()
    assert "缺少胃蛋白酶原比值" in gastric and "胃泌素-17" in gastric and "1 人" in gastric
    assert ScreeningResult.objects.filter(year=year).count() == 3

    # 4. the queue: the high-risk man first; the FIT-positive man flagged for colonoscopy
    submit(page, "#queue-link")
    queue = page.locator("#health-queue tbody tr")
    assert queue.count() == 2  # people needing follow-up only, by default
    first, second = queue.nth(0).inner_text(), queue.nth(1).inner_text()
    assert "赵大" in first and "未开始" in first
    scored = ScreeningResult.objects.get(person=high, year=year)
    assert scored.cvd_category == "high" and scored.cvd_percent > 30  # China-PAR: about a third in ten years
    cvd = queue.nth(0).locator("td").nth(4).inner_text()
    assert f"{floatformat(scored.cvd_percent_shown, 1)}%" in cvd and "高危" in cvd, cvd
    assert "钱二" in second and "建议肠镜" in second and "建议肠镜" not in first
    page.select_option("#id_need", value="all")
    submit(page, "form.filters button[type=submit]")
    assert queue.count() == 3 and "孙三" in queue.nth(2).inner_text()
    assert "胃癌评分：缺少" in queue.nth(2).inner_text()

    # the reason for the colonoscopy is on the person's page: the FIT result, not the questionnaire
    submit(page, queue.nth(1).get_by_role("link", name="钱二"))
    result = page.locator("#follow-up-result")
    assert "阳性" in result.locator("tr", has_text="粪便免疫化学检测").inner_text()
    assert "非高危" in result.locator("tr", has_text="结直肠癌高危因素问卷").inner_text()
    assert "是" in result.locator("tr", has_text="建议肠镜").inner_text()
    page.goto(f"{base}/health/queue/?year={year}&need=all")

    # 5. the high-risk man's follow-up page: assign an officer, a record refused, then saved
    submit(page, queue.nth(0).get_by_role("link", name="赵大"))
    assert "赵大" in page.locator("h1").inner_text()
    page.select_option("#id_officer", label="周医生")
    submit(page, page.get_by_role("button", name="指派", exact=True))
    assert "已指派负责健康管理员" in page.content()
    fu = FollowUp.objects.get(person=high, year=year)
    assert fu.assigned_to.username == "ho"

    page.fill("#id_contact_on", f"{today:%Y-%m-%d}")
    page.fill("#id_advice", "低盐饮食，戒烟，一个月内心内科就诊")
    page.check("#id_referral")
    page.fill("#id_referral_to", "市人民医院心内科")
    page.fill("#id_exam", "动态血压监测")
    page.fill("#id_exam_booked_on", f"{today + timedelta(days=7):%Y-%m-%d}")
    page.fill("#id_next_check_on", f"{today - timedelta(days=1):%Y-%m-%d}")
    submit(page, page.get_by_role("button", name="保存记录"))
    refused = page.locator("form.form").last.locator(".errorlist").inner_text()
    assert "下次复查日期应晚于联系日期" in refused, refused
    assert not FollowUpRecord.objects.exists()

    next_check = today + timedelta(days=90)
    assert page.input_value("#id_advice").startswith("低盐饮食")  # what was typed is kept
    page.fill("#id_next_check_on", f"{next_check:%Y-%m-%d}")
    submit(page, page.get_by_role("button", name="保存记录"))
    assert "已添加随访记录" in page.content()
    card = page.locator("section.card").first.inner_text()
    assert "低盐饮食" in card and "市人民医院心内科" in card and "动态血压监测" in card
    assert f"{next_check:%Y-%m-%d}" in card and "周医生" in card
    assert FollowUpRecord.objects.filter(follow_up=fu).count() == 1

    page.goto(f"{base}/health/queue/?year={year}")
    first = page.locator("#health-queue tbody tr").nth(0).inner_text()
    assert "赵大" in first and "周医生" in first and "随访中" in first
    assert f"复查 {next_check:%Y-%m-%d}" in first
