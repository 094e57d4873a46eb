"""The compliance heat map on a phone (390 px): a long organisation name wraps inside its sticky column and does
not run over the month cells (issue 13 §3). The global ``th { white-space: nowrap }`` kept a name on one line, so
it spilled past the column's width into 1月, 2月 …; the full name stays in the link's title."""

import pytest
from django.utils import timezone

from dangjian.orgs.models import Organization
from dangjian.testing import PASSWORD, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "星河无线电计量测试研究所第一研究室微波毫米波计量技术联合党支部"


@pytest.fixture
def world():
    from dangjian.compliance.tests.store import ship_defaults

    ship_defaults()
    t = make_tree()
    Organization.objects.filter(pk=t.branch1.pk).update(name=LONG)
    make_user("office", "office", t.root)
    return t


def test_long_names_wrap_beside_the_month_cells_on_a_phone(phone, live_server, world):
    base = live_server.url
    login(phone, base, "office", PASSWORD)
    phone.goto(f"{base}/compliance/?year={timezone.localdate().year - 1}")
    link = phone.locator("table.heatmap th.org a", has_text=LONG[:8])
    assert link.count() == 1
    # every row: the name's box ends where its column ends, and the column ends before the first month cell
    overlaps = phone.evaluate(
        """() => [...document.querySelectorAll('table.heatmap tbody tr')].map(tr => {
            const th = tr.querySelector('th.org'), a = th.querySelector('a'), td = tr.querySelector('td.cell');
            const t = th.getBoundingClientRect(), n = a.getBoundingClientRect(), c = td.getBoundingClientRect();
            return {name: a.textContent, spill: Math.round(n.right - t.right), gap: Math.round(c.left - t.right),
                    wide: a.scrollWidth > a.clientWidth + 1 || th.scrollWidth > th.clientWidth + 1};
        }).filter(r => r.spill > 0 || r.gap < 0 || r.wide)"""
    )
    assert overlaps == []
    assert link.get_attribute("title") == LONG
    # the name really is on more than one line, and the page has no horizontal scroll of its own
    box = link.bounding_box()
    assert box is not None and box["height"] > 30
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
