"""A secretary opens the branch's ledger page, reads the checklist, generates the ledger and downloads it."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from dangjian.orgs.models import CommitteePost, CommitteeTerm
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LEDGER_PDF = False  # LibreOffice's conversion is tested in ledger/tests
    t = make_tree()
    mine = make_member(t.branch1, "林小燕", department=t.dept1, sex="F")
    make_member(t.branch2, "周大山", department=t.dept2)
    make_user("sec1", "secretary", t.branch1, person=mine)
    term = CommitteeTerm.objects.create(organization=t.branch1, elected_on=date(2024, 3, 1), ends_on=date(2027, 3, 1))
    CommitteePost.objects.create(term=term, person=mine, post="secretary")
    return t


def test_a_secretary_checks_generates_and_downloads_the_ledger(page, live_server, world):
    login(page, live_server.url, "sec1", PASSWORD)
    page.goto(f"{live_server.url}/")
    page.click("#mainnav summary >> text=台账与报表")
    page.click("#mainnav >> text=党建台账")
    page.wait_for_load_state()
    page.click("#ledger-orgs >> text=一支部")
    page.wait_for_load_state()
    year = timezone.localdate().year
    assert page.locator("h1").inner_text() == f"一支部 {year}年度台账"
    checklist = page.locator("#checklist").inner_text()
    assert "1名党员缺少籍贯" in checklist and "尚未撰写年度工作总结" in checklist
    assert "周大山" not in page.content()

    page.click("#summary-link")
    page.wait_for_load_state()
    page.fill("#id_text", "本支部现有党员{党员人数}。")
    page.click("#summary-form button[type=submit]")
    page.wait_for_load_state()
    assert "尚未撰写年度工作总结" not in page.locator("#checklist").inner_text()

    page.click("#generate")
    page.wait_for_load_state()
    page.locator("#ledger-run-list .download-docx").wait_for()
    with page.expect_download() as info:
        page.click("#ledger-run-list .download-docx")
    download = info.value
    assert download.suggested_filename == f"一支部{year}年度台账.docx"
    from docx import Document

    chapters = [p.text for p in Document(download.path()).paragraphs if p.style.name == "Heading 1"]
    assert "党员花名册" in chapters and "年度工作总结" in chapters
    texts = [p.text for p in Document(download.path()).paragraphs]
    assert "本支部现有党员1名。" in texts
    with page.expect_download() as info:
        page.click("#ledger-run-list .download-zip")
    assert info.value.suggested_filename.endswith(".zip")


def test_the_ledger_page_on_a_phone(phone, live_server, world):
    t = world
    login(phone, live_server.url, "sec1", PASSWORD)
    phone.goto(f"{live_server.url}/ledger/organizations/{t.branch1.pk}/")
    assert phone.locator("#checklist").is_visible()
    assert phone.locator("#generate").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways on a phone ({width}px)"
