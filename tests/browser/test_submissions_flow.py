"""请示报告 in Chromium: branch1's secretary drafts a request and sends it after confirming; the committee office
finds it in its box, signs for it and returns it with a reason; the secretary sees the return on the home page
and on the request, and starts the second version. Desktop and phone widths, no sideways scroll on the phone."""

from __future__ import annotations

import os

import pytest

from dangjian.submissions.models import Status, Submission
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于一支部委员会换届选举的请示"
REASON = "请补充委员候选人预备人选的考察情况后重新报送"


@pytest.fixture
def world():
    t = make_tree()
    make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "甲一", department=t.dept1))
    make_user("office", "office", t.root)
    return t


def _shot(pg, name: str) -> None:
    """Screenshots for a person to look at, when SCREENSHOT_DIR names a directory."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        pg.screenshot(path=os.path.join(folder, f"submissions-{name}.png"), full_page=True)


def _no_sideways_scroll(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_secretary_sends_office_returns_with_a_reason_secretary_sees_it(page, phone, live_server, world):
    base = live_server.url
    login(page, base, "sec1", PASSWORD)
    page.goto(f"{base}/submissions/")
    page.click("a.btn:text-is('拟写请示')")
    page.select_option("#id_category", label="换届选举")
    page.fill("#id_title", TITLE)
    page.fill("#id_body", "一支部委员会任期届满，拟召开党员大会进行换届选举。\n妥否，请批示。")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "草稿" in page.locator("h1").inner_text()
    _shot(page, "draft-1280")
    page.click("a.btn:text-is('报送')")
    page.wait_for_load_state()  # the click returns once the next page starts loading, before its content is there
    assert "报送给测试所党委后将生成文号" in page.content()
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    sub = Submission.objects.get(title=TITLE)
    assert sub.status == Status.SENT and sub.document_number.startswith("一支部〔")
    assert sub.document_number in page.content()
    detail = page.url

    page.context.clear_cookies()
    login(page, base, "office", PASSWORD)
    assert TITLE in page.content()  # the office's home: a request to answer
    page.goto(f"{base}/submissions/")
    assert page.locator("main a.btn[aria-current=page]").inner_text() == "本级收到"
    _shot(page, "office-list-1280")
    page.click(f"text={TITLE}")
    page.click("a.btn:text-is('签收')")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "已签收，待办理" in page.locator("h1").inner_text()
    page.click("a.btn:text-is('批复或退回')")
    page.check("input[name=decision][value=returned]")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "退回时请写明退回原因" in page.content()
    page.check("input[name=decision][value=returned]")
    page.fill("#id_text", REASON)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "退回" in page.locator("h1").inner_text()

    login(phone, base, "sec1", PASSWORD)
    assert f"{TITLE}：被退回，请修改后重新报送" in phone.content()
    _shot(phone, "home-390")
    phone.goto(detail)
    assert REASON in phone.content()
    assert _no_sideways_scroll(phone)
    _shot(phone, "returned-390")
    phone.goto(f"{base}/submissions/")
    assert _no_sideways_scroll(phone)
    _shot(phone, "list-390")
    phone.goto(detail)
    phone.click("a.btn:text-is('修改后重新报送')")
    phone.click("form.form button[type=submit]")
    phone.wait_for_load_state()
    again = Submission.objects.get(previous=sub)
    assert again.version == 2 and "第2版" in phone.content()
