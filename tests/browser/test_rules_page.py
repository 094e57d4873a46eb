"""规则与依据 in Chromium: a member reads every rule (desktop and phone, one column, no sideways scroll), finds
"支委会每月召开" with the keyword filter and has no edit link; the office revises the contact-point visits and
sees the new version listed."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.care.models import CareRule
from dangjian.core.ruletable import TABLES
from dangjian.rules.models import RuleVersion
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    # transactional tests flush the tables, including the obligations compliance 0002 shipped into the store
    from dangjian.compliance.tests.store import ship_defaults

    ship_defaults()
    t = make_tree()
    office = make_user("office", "office", t.root)
    member = make_user("member", "member", person=make_member(t.branch1, "党员乙"))
    return t, office, member


def _shot(pg, name: str) -> None:
    """Screenshots for a person to look at, when SCREENSHOT_DIR names a directory."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        pg.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=False)


def _no_sideways_scroll(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_member_reads_and_filters_on_desktop_and_phone(page, phone, live_server, world):
    t, office, member = world
    base = live_server.url
    # every code rule, obligation and care line (a transactional test before this one may have flushed the care list)
    expected = sum(len(table.keys()) for tables in TABLES.values() for table in tables)
    obligations = RuleVersion.objects.filter(key__startswith="compliance.obligation.").values("key").distinct()
    expected += obligations.count() + CareRule.objects.count()
    for pg, width in ((page, "desktop"), (phone, "phone")):
        login(pg, base, "member", PASSWORD)
        pg.goto(f"{base}/rules/")
        assert pg.locator("h1").inner_text() == "规则与依据"
        assert pg.locator("article.rule").count() == expected
        assert pg.locator("text=支委会每月召开").count() == 1
        assert pg.locator("article.rule a.btn").count() == 0  # read only
        assert _no_sideways_scroll(pg), width
        _shot(pg, f"member-{width}")
        pg.fill("input[name=q]", "支委会每月")
        pg.click("form.filters button[type=submit]")
        pg.wait_for_load_state("networkidle")
        assert pg.locator("article.rule").count() == 1
        card = pg.locator("article.rule")
        assert "每月1次" in card.inner_text() and "第12条" in card.inner_text()
        card.locator("summary").click()
        assert "第1版" in card.inner_text()
        _shot(pg, f"member-{width}-found")


def test_the_office_revises_a_local_rule(page, phone, live_server, world):
    t, office, member = world
    base = live_server.url
    login(page, base, "office", PASSWORD)
    page.goto(f"{base}/rules/?app=talks")
    _shot(page, "office-desktop")
    card = page.locator('article[data-key="contact_point.min_visits_per_year"]')
    assert "本单位设置" in card.inner_text() and "2次" in card.inner_text()
    card.locator("a.btn").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_value", "很多")
    page.fill("#id_reason", "加强调研")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=请填写不小于 0 的整数").count() == 1
    _shot(page, "office-desktop-error")
    page.fill("#id_value", "4")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已保存" in page.content()
    card = page.locator('article[data-key="contact_point.min_visits_per_year"]')
    assert "4次" in card.inner_text()
    v = RuleVersion.objects.get(key="contact_point.min_visits_per_year")
    assert v.value == 4 and v.effective_from == timezone.localdate() and v.created_by == office
    login(phone, base, "office", PASSWORD)
    phone.goto(f"{base}/rules/?app=talks")
    assert _no_sideways_scroll(phone)
    _shot(phone, "office-phone")
    assert timezone.localdate() + timedelta(days=1) > v.effective_from
