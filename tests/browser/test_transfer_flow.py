"""A transfer inside the tree through the pages: branch1 requests and sends, branch2 accepts; the letter of an
outgoing transfer downloads; the lost-contact list reads on a phone."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from dangjian.core import context
from dangjian.people.models import Membership
from dangjian.testing import PASSWORD, make_member, make_tree, make_user
from dangjian.transfers import lost

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    t = make_tree()
    mover = make_member(t.branch1, "陈调动", department=t.dept1)
    leaver = make_member(t.branch1, "赵调离", department=t.dept1)
    sec1 = make_user("sec1", "secretary", t.branch1)
    make_user("sec2", "secretary", t.branch2)
    with context.acting(sec1):
        lost.open_case(sec1, leaver.pk, last_contact_on=date(2025, 1, 1))
    return t, mover, leaver


def _request(page, base, person, to_field, value):
    page.goto(f"{base}/transfers/new/?person={person.pk}")
    if to_field == "to_org":
        page.select_option("#id_to_org", label=value)
    else:
        page.fill("#id_to_name", value)
    page.fill("#id_reason", "工作调动")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()


def test_inside_transfer_sent_by_one_branch_and_accepted_by_the_other(page, live_server, world):
    t, mover, leaver = world
    base = live_server.url
    login(page, base, "sec1", PASSWORD)
    _request(page, base, mover, "to_org", "二支部")
    assert "待发出" in page.locator("h1").inner_text()
    page.click("a.btn:text-is('发出')")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "仍在一支部的党员名册中" in page.content()
    assert Membership.objects.current().get(person=mover).organization_id == t.branch1.pk
    detail = page.url

    page.context.clear_cookies()
    login(page, base, "sec2", PASSWORD)
    page.goto(detail)
    page.click("a.btn:has-text('接收')")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "已接收" in page.locator("h1").inner_text()
    assert "已发出，待接收 → 已接收" in page.content()
    assert Membership.objects.current().get(person=mover).organization_id == t.branch2.pk


def test_outgoing_letter_downloads_with_the_dues_month(page, live_server, world):
    t, mover, leaver = world
    base = live_server.url
    login(page, base, "sec1", PASSWORD)
    _request(page, base, mover, "to_name", "中共某大学委员会")
    page.click("a.btn:text-is('发出')")
    page.fill("#id_dues_paid_to", "2026-10")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    with page.expect_download() as info:
        page.click("text=下载介绍信（.docx）")
    with open(info.value.path(), "rb") as f:
        text = "\n".join(p.text for p in Document(io.BytesIO(f.read())).paragraphs)
    assert "陈调动" in text and "该同志党费已交到2026年10月。" in text and "中共某大学委员会：" in text


def test_lost_contact_list_on_a_phone(phone, live_server, world):
    login(phone, live_server.url, "sec1", PASSWORD)
    phone.goto(f"{live_server.url}/transfers/lost/?flag=any")
    assert "赵调离" in phone.content()
    assert "失联满6个月，待作出停止党籍决定" in phone.content()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
