"""The main menu in Chromium: on a 1366-wide desktop the office's seven groups fit one line, a group opens and closes
with the keyboard (Enter, Tab, Escape) and one at a time; on a 390-wide phone the groups stack behind the 菜单 button.
No Content-Security-Policy violation either way. Screenshots go to ``$MENU_SHOTS`` when set, else the test's tmp dir.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import WATCH_CSP, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    t = make_tree()
    make_member(t.branch1, "林小燕", department=t.dept1, sex="F")
    make_user("office", "office", t.root)
    make_user("sec1", "secretary", t.branch1)
    return t


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("MENU_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(browser, **context):
    ctx = browser.new_context(locale="zh-CN", **context)
    pg = ctx.new_page()
    pg.set_default_timeout(15000)
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.add_init_script(WATCH_CSP)
    return ctx, pg, errors


def _focused(pg) -> str:
    return pg.evaluate("document.activeElement.textContent.trim()")


def test_the_desktop_menu_fits_one_line_and_works_with_the_keyboard(browser, live_server, world, tmp_path):
    ctx, pg, errors = _open(browser, viewport={"width": 1366, "height": 900})
    login(pg, live_server.url, "office", PASSWORD)
    pg.goto(f"{live_server.url}/people/")

    items = pg.locator("#mainnav .navgroups > li")
    assert items.count() == 7  # 仪表盘, six groups, 规则与依据 as a link
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
    assert len(tops) == 1, f"the menu wraps: {tops}"
    bar = pg.locator("header.topbar").bounding_box()
    assert bar["height"] < 60  # brand, menu, the user's name and the language on one line
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # the page's group is marked, and its entry inside
    assert pg.locator("#mainnav summary[aria-current=true]").inner_text() == "组织与党员"
    assert pg.locator("#mainnav a[aria-current=page]").get_attribute("href") == "/people/"
    assert not pg.locator("#mainnav a[href='/ledger/']").is_visible()

    # Tab from the brand onto 仪表盘, then 组织与党员; Enter opens it; Tab reaches its first entry
    pg.focus(".brand")
    pg.keyboard.press("Tab")
    pg.keyboard.press("Tab")
    people = pg.locator("#mainnav details.navgroup", has=pg.locator("summary", has_text="组织与党员"))
    assert _focused(pg) == "组织与党员"
    pg.keyboard.press("Enter")
    assert people.get_attribute("open") is not None
    pg.keyboard.press("Tab")
    assert _focused(pg) == "党组织"
    # Escape closes the group and gives the focus back to its name
    pg.keyboard.press("Escape")
    assert people.get_attribute("open") is None and _focused(pg) == "组织与党员"

    # one group open at a time
    records = pg.locator("#mainnav details.navgroup", has=pg.locator("summary", has_text="台账与报表"))
    pg.keyboard.press("Enter")
    records.locator("summary").focus()
    pg.keyboard.press("Enter")
    assert records.get_attribute("open") is not None and people.get_attribute("open") is None
    ledger = pg.locator("#mainnav a[href='/ledger/']")
    assert ledger.is_visible()
    # the dropdown lies over the page and inside the window
    box = pg.locator("#mainnav details[open] .navmenu").bounding_box()
    assert box["y"] >= bar["y"] + bar["height"] - 8 and box["x"] + box["width"] <= 1366
    pg.screenshot(path=str(_shots(tmp_path) / "menu_desktop.png"))

    # Tab through its entries and on: the group closes behind the focus
    for _ in range(4):
        pg.keyboard.press("Tab")
    assert _focused(pg) == "事实与指标"
    pg.keyboard.press("Tab")
    assert records.get_attribute("open") is None
    # a click elsewhere closes an open group
    records.locator("summary").click()
    assert ledger.is_visible()
    pg.mouse.click(1000, 600)  # the page, away from the open dropdown
    assert not ledger.is_visible()

    # Enter on an entry opens its page, which marks it
    records.locator("summary").focus()
    pg.keyboard.press("Enter")
    ledger.focus()
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    assert pg.url.endswith("/ledger/")
    assert pg.locator("#mainnav summary[aria-current=true]").inner_text() == "台账与报表"

    # the user's own links under their name, opening leftwards inside the window
    logout = pg.locator(".usermenu button[type=submit]")
    assert not logout.is_visible()
    pg.click(".userdrop summary")
    assert logout.is_visible() and logout.inner_text() == "退出"
    box = pg.locator(".userdrop .navmenu").bounding_box()
    assert box["x"] + box["width"] <= 1366
    pg.screenshot(path=str(_shots(tmp_path) / "menu_desktop_user.png"))
    pg.keyboard.press("Escape")
    assert not logout.is_visible()
    assert pg.evaluate("window.__csp") == [] and errors == []
    ctx.close()


def test_the_phone_menu_stacks_the_groups_behind_one_button(browser, live_server, world, tmp_path):
    ctx, pg, errors = _open(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(pg, live_server.url, "sec1", PASSWORD)
    pg.goto(f"{live_server.url}/")
    toggle = pg.locator(".menu-toggle")
    assert toggle.is_visible() and toggle.inner_text() == "菜单"
    assert not pg.locator("#mainnav").is_visible() and not pg.locator(".usermenu").is_visible()
    header = pg.locator("header.topbar").bounding_box()
    assert header["height"] < 60  # brand, 菜单 and the language on one line; the user's links behind 菜单
    pg.screenshot(path=str(_shots(tmp_path) / "menu_phone_closed.png"))

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert pg.locator("#mainnav").is_visible() and pg.locator(".usermenu").is_visible()
    assert pg.locator(".usermenu button[type=submit]").is_visible()  # 退出, without another tap
    items = pg.locator("#mainnav .navgroups > li")
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    assert len({round(b["x"]) for b in boxes}) == 1  # one under the other
    assert all(a["y"] < b["y"] for a, b in zip(boxes, boxes[1:], strict=False))
    # groups open like sections, several at a time
    pg.click("#mainnav summary >> text=组织与党员")
    pg.click("#mainnav summary >> text=组织生活")
    assert pg.locator("#mainnav a[href='/people/']").is_visible()
    assert pg.locator("#mainnav a[href='/meetings/']").is_visible()
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    pg.screenshot(path=str(_shots(tmp_path) / "menu_phone.png"), full_page=True)

    pg.click("#mainnav a[href='/people/']")
    pg.wait_for_load_state()
    assert "林小燕" in pg.content()
    # back on the menu, the page's group is open already
    toggle.click()
    assert pg.locator("#mainnav a[aria-current=page]").is_visible()
    # Escape closes the group, then the menu
    pg.locator("#mainnav a[aria-current=page]").focus()
    pg.keyboard.press("Escape")
    assert not pg.locator("#mainnav a[aria-current=page]").is_visible()
    pg.keyboard.press("Escape")
    assert not pg.locator("#mainnav").is_visible() and _focused(pg) == "菜单"
    assert pg.evaluate("window.__csp") == [] and errors == []
    ctx.close()
