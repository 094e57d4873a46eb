"""A branch of 2 members elects a secretary only (机关基层组织工作条例 2019 第7条: "党员人数不足7人的，不设支部委员会，
设书记1名，必要时可以设副书记1名"): the office records the term in the browser choosing 不设支部委员会, and the branch's
compliance page then owes no 支委会 — while the 主题党日 and the yearly 民主评议党员 (教育条例 第18条) stay owed."""

from datetime import date

import pytest
from django.utils import timezone

from dangjian.orgs.models import CommitteeTerm
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    # transactional tests flush the tables, including the obligations compliance 0002 shipped into the store
    from dangjian.compliance.tests.store import ship_defaults

    ship_defaults()
    t = make_tree()
    secretary = make_member(t.branch2, "周书记")
    make_member(t.branch2, "吴党员")
    make_user("office", "office", t.root)
    make_user("sec2", "secretary", t.branch2, person=secretary)
    return t, secretary


def test_a_secretary_only_branch_owes_no_committee_meeting(page, live_server, world):
    t, secretary = world
    base = live_server.url
    year = timezone.localdate().year - 1  # a whole year over: every owed period is late or done
    elected = date(year - 1, 1, 1)

    login(page, base, "office", PASSWORD)
    page.goto(f"{base}/orgs/{t.branch2.pk}/terms/new/")
    page.fill("#id_elected_on", elected.isoformat())
    page.select_option("#id_form", "secretary_only")
    page.select_option("#id_secretary", str(secretary.pk))
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/orgs/{t.branch2.pk}/")
    term = CommitteeTerm.objects.get(organization=t.branch2)
    assert term.has_committee is False and term.elected_on == elected

    page.context.clear_cookies()
    login(page, base, "sec2", PASSWORD)
    page.goto(f"{base}/compliance/org/{t.branch2.pk}/?year={year}")
    assert page.locator("li[id$='-branch.committee_meeting']").count() == 0
    assert page.locator("li[id$='-branch.theme_day']").count() == 12  # the page lists the branch's obligations
    appraisal = page.locator("li[id$='-branch.appraisal']")
    assert appraisal.count() == 1 and f"{year}年度民主评议党员未开展" in appraisal.inner_text()
    assert "已完成 0 / 应完成 1" in appraisal.inner_text()
    assert "支委会" not in page.locator(".attention").inner_text()
