"""A branch secretary sets a member's dues base, records a payment (first with the months the wrong way
round, which is refused in Chinese), and sees the month paid with the rule beside the amount."""

from datetime import date

import pytest
from django.utils import timezone

from dangjian.dues.models import DuesPayment
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    t = make_tree()
    secretary = make_member(t.branch1, "林书记", department=t.dept1)
    member = make_member(t.branch1, "周党员", department=t.dept1)
    make_user("sec1", "secretary", t.branch1, person=secretary)
    return t, member


def test_a_secretary_records_dues_and_sees_the_rule(page, live_server, world):
    t, member = world
    base = live_server.url
    month = timezone.localdate().replace(day=1)
    login(page, base, "sec1", PASSWORD)

    page.goto(f"{base}/dues/person/{member.pk}/base/")
    page.fill("#id_month", f"{month:%Y-%m}")
    page.select_option("#id_category", value="employee")
    page.fill("#id_monthly_base", "4000")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "党费基数已保存" in page.content()

    page.goto(f"{base}/dues/person/{member.pk}/payment/")
    later = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    page.fill("#id_month_from", f"{later:%Y-%m}")
    page.fill("#id_month_to", f"{month:%Y-%m}")
    page.fill("#id_amount", "40")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "截止月份不能早于起始月份" in page.content(), page.locator("form.form").inner_text()
    assert not DuesPayment.objects.exists()

    page.fill("#id_month_from", f"{month:%Y-%m}")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    text = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    assert "党费已登记" in page.content() and "已交清" in text
    assert "5000元及以下档" in text and "党费收缴" in text

    page.goto(f"{base}/dues/?month={month:%Y-%m}")
    assert "周党员" in page.content() and "40.00" in page.content()
