"""仪表盘 in Chromium: the charts draw on their canvases under the strict CSP (no violation reported), a click on a
bar opens the people it counts, a table's link does the same, and the page keeps within a phone's width. The
screenshots at 1280 and 390 wide go to ``$DASHBOARD_SHOTS`` when set (to look at), else to the test's tmp dir."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import WATCH_CSP, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    t = make_tree()
    for n in range(6):
        make_member(t.branch1, birth=date(1990 + n, 3, 1), sex="F" if n % 2 else "M", education="master")
    for n in range(4):
        make_member(t.branch2, birth=date(1965 + n, 5, 1), education="bachelor")
    make_user("office", "office", t.root)
    return t


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("DASHBOARD_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(page, base: str) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(WATCH_CSP)
    login(page, base, "office", PASSWORD)
    page.goto(f"{base}/dashboard/")
    charts = page.locator(".dash-chart")
    assert charts.count() >= 10
    page.wait_for_function(
        "document.querySelectorAll('.dash-chart canvas').length === document.querySelectorAll('.dash-chart').length"
    )
    return errors


def test_the_dashboard_draws_under_the_csp_and_drills_down(page, phone, live_server, world, tmp_path):
    base = live_server.url
    errors = _open(page, base)
    shots = _shots(tmp_path)
    page.screenshot(path=str(shots / "dashboard-1280.png"), full_page=True)
    assert page.evaluate("window.__csp") == []
    assert errors == []
    assert page.locator(".dash-table:visible").count() == 0  # tables hidden behind their buttons

    # a click on the tallest bar of the age chart opens the people list of that age band
    band = page.evaluate(
        """() => {
          const el = document.querySelector('[data-chart="age"]');
          const data = echarts.getInstanceByDom(el).getOption().series[0].data;
          return data.indexOf(Math.max(...data));
        }"""
    )
    page.locator('[data-chart="age"]').scroll_into_view_if_needed()
    point = page.evaluate(
        """(band) => {
          const el = document.querySelector('[data-chart="age"]');
          const chart = echarts.getInstanceByDom(el);
          const data = chart.getOption().series[0].data;
          const [x, y] = chart.convertToPixel({seriesIndex: 0}, [band, data[band] / 2]);
          const box = el.getBoundingClientRect();
          return {x: box.left + x, y: box.top + y, band: band};
        }""",
        band,
    )
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert "/people/" in page.url and "age=" in page.url and "status=party" in page.url
    assert page.locator("table tbody tr").count() > 0

    # the sex chart's table, opened by its button, links to the members it counts
    page.goto(f"{base}/dashboard/")
    page.wait_for_function("document.querySelectorAll('.dash-chart canvas').length > 0")
    button = page.locator("#chart-sex .dash-toggle")
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    table = page.locator("#t-sex")
    assert table.is_visible()
    with page.expect_navigation():
        table.locator("a").first.click()
    assert "/people/" in page.url and "status=party" in page.url
    assert page.evaluate("window.__csp") == []

    # on a phone: every chart drawn, nothing wider than the screen, no violation
    phone_errors = _open(phone, base)
    phone.screenshot(path=str(shots / "dashboard-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.evaluate("window.__csp") == [] and phone_errors == []

    # the big screen: one chart at a time, the arrow key moves on, space pauses (drawn without animation, so that
    # the screenshot shows the chart, not a frame of its entry)
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{base}/dashboard/screen/")
    page.wait_for_function("document.querySelectorAll('.screen-slide:not([hidden]) canvas').length === 1")
    first = page.locator(".screen-slide:not([hidden])").get_attribute("id")
    page.keyboard.press("ArrowRight")
    assert page.locator(".screen-slide:not([hidden])").get_attribute("id") != first
    page.keyboard.press(" ")
    assert page.locator("#screen-paused").is_visible()
    page.screenshot(path=str(shots / "screen-1280.png"))
    assert page.evaluate("window.__csp") == []


def test_a_cold_dashboard_shows_the_jobs_progress_and_then_its_charts(page, live_server, world, settings, tmp_path):
    """Nothing cached and the worker not there yet: the page says the figures are being computed and polls; once the
    worker has run the job, the page reloads itself with the charts, under the CSP."""
    from django.core.cache import caches

    from dangjian.dashboard import computing
    from dangjian.jobs import services as jobs
    from dangjian.jobs.models import Job

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_INLINE = False
    caches["shared"].clear()
    base = live_server.url
    page.add_init_script(WATCH_CSP)
    login(page, base, "office", PASSWORD)
    page.goto(f"{base}/dashboard/")
    assert "正在汇总图表数据" in page.locator("#dash-computing").inner_text()
    assert page.locator(".dash-chart").count() == 0
    page.screenshot(path=str(_shots(tmp_path) / "dashboard-computing-1280.png"), full_page=True)
    job = Job.objects.get(kind=computing.KIND)
    with page.expect_navigation(timeout=10_000):  # the poll (every 2 s) finds the job done and reloads the page
        jobs.run(job.pk)
    page.wait_for_function("document.querySelectorAll('.dash-chart canvas').length > 0")
    assert page.locator("#dash-computing").count() == 0 and page.locator(".dash-chart").count() >= 10
    assert page.evaluate("window.__csp") == []
