"""A branch secretary reads the branch's assessment result on a phone (issue 14 §2): every leaf's score and the words
that explain it, the explanation under the figures at the screen's full width, nothing past the right edge."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.assessment import cycles
from dangjian.assessment.tests.cycle_factories import open_cycle, published, published_system, theme_day
from dangjian.core import context
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_secretary_reads_the_explanation_of_the_branch_score_on_a_phone(phone, live_server):
    t = make_tree()
    office = make_user("office", "office", t.root)
    make_user("secretary", "secretary", t.branch1, person=make_member(t.branch1, "书记"))
    with context.acting(office):
        system = published_system(office)
        theme_day(t.branch1, date(2026, 3, 10))
        cycle = open_cycle(office, system, [t.branch1, t.branch2])
        cycles.compute(cycle, office)
    published(cycle)  # the unit reads its result once the committee publishes it

    login(phone, live_server.url, "secretary", PASSWORD)
    phone.goto(f"{live_server.url}/assessment/cycles/{cycle.pk}/units/{t.branch1.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    table = phone.locator("#explanation")
    words = table.locator("tr", has_text="得 0.50 分（满分 6.00 分）").locator("td").last
    assert "第十六条" in words.inner_text()
    # the explanation takes the row's full width under the figures, not a column a few characters wide
    assert words.bounding_box()["width"] > 0.8 * table.bounding_box()["width"]
    phone.goto(f"{live_server.url}/assessment/cycles/{cycle.pk}/units/{t.branch2.pk}/")
    assert "页面不存在" in phone.content()  # another branch: 404
