"""The branch's month collection on a phone (390 px, issue 13 §3): every member's row wraps instead of scrolling
sideways, its tick box and amount stay on screen, and a collection is entered with one exception and confirmed."""

from datetime import date

import pytest

from dangjian.core import context
from dangjian.dues import services
from dangjian.dues.models import DuesPayment
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "欧阳娜娜·买买提艾力克斯托洛夫斯基"


@pytest.fixture
def world():
    t = make_tree()
    secretary = make_member(t.branch1, "书记甲")
    sec = make_user("sec1", "secretary", t.branch1, person=secretary)
    people = [secretary, make_member(t.branch1, LONG)] + [make_member(t.branch1, f"党员{i}") for i in range(4)]
    with context.acting(sec):
        for i, person in enumerate(people):
            services.set_base(sec, person.pk, date(2024, 1, 1), "employee", str(3000 + 1500 * i))
    return t, people


def test_the_collection_form_fits_a_phone_and_records_with_an_exception(phone, live_server, world, tmp_path):
    t, people = world
    base = live_server.url
    login(phone, base, "sec1", PASSWORD)
    phone.goto(f"{base}/dues/collection/{t.branch1.pk}/?month=2026-11")
    rows = phone.locator("ul.collect-rows li.collect-open")
    assert rows.count() == 6
    phone.screenshot(path=str(tmp_path / "collection-390.png"), full_page=True)
    # no horizontal scroll, and every row's box, tick box and amount inside the screen
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    outside = phone.evaluate(
        """() => [...document.querySelectorAll('ul.collect-rows li.collect-open')].flatMap(li =>
            [li, li.querySelector('input[type=checkbox]'), li.querySelector('.collect-amount input'),
             li.querySelector('.collect-note')].map(el => el.getBoundingClientRect())
            .filter(r => r.left < 0 || r.right > window.innerWidth + 1)
            .map(() => li.textContent.trim().slice(0, 12)))"""
    )
    assert outside == []
    box = phone.locator(f"input[name=paid_{people[2].pk}]").bounding_box()
    assert box is not None and box["width"] >= 12

    phone.uncheck(f"input[name=paid_{people[2].pk}]")  # 未交
    phone.fill(f"input[name=amount_{people[1].pk}]", "30.00")  # 金额不同
    phone.fill(f"input[name=note_{people[1].pk}]", "先交一部分")
    phone.click("button:has-text('下一步：核对')")
    summary = phone.locator("#collect-summary")
    assert "将登记已交 5 人" in summary.inner_text()
    assert "未交 1 人" in summary.inner_text()
    assert "交纳方式：现金" in summary.inner_text()
    phone.screenshot(path=str(tmp_path / "collection-confirm-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.click("button:has-text('确认登记')")
    phone.wait_for_load_state("networkidle")
    assert "/dues/" in phone.url
    assert DuesPayment.objects.count() == 5
    assert not DuesPayment.objects.filter(account__person=people[2]).exists()
    assert DuesPayment.objects.get(account__person=people[1]).amount == 30
