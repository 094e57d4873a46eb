"""A person's results year by year: the change from the previous result and a CSP-clean SVG of the CVD risk."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from dangjian.health import runs
from dangjian.health.trend import cvd_chart, direction, year_rows

from .screen_data import HIGH, LOW, MEDIUM, screen


def result(year, percent, category="", gastric="", apcs="", missing=None):
    return SimpleNamespace(
        year=year,
        cvd_percent=percent,
        cvd_category=category,
        gastric_category=gastric,
        apcs_category=apcs,
        missing=missing or {},
    )


def points(svg: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)]


def test_the_chart_has_one_point_per_scored_year_rising_with_the_risk():
    svg = str(cvd_chart([result(2023, 4.2), result(2024, None), result(2025, 12.5), result(2026, 7.0)]))
    pts = points(svg)
    assert len(pts) == 3  # the unscored year is left out
    xs, ys = [x for x, _y in pts], [y for _x, y in pts]
    assert xs == sorted(xs) and len(set(xs)) == 3  # years left to right
    assert ys[1] < ys[2] < ys[0]  # 12.5 % highest on the page, then 7.0, then 4.2
    line = re.search(r'<polyline points="([^"]+)"', svg).group(1)
    assert len(line.split()) == 3


def test_the_chart_is_csp_clean_and_accessible():
    svg = str(cvd_chart([result(2025, 4.0), result(2026, 6.0)]))
    assert svg.startswith("<svg") and 'viewBox="0 0 320 150"' in svg
    assert "style=" not in svg and "<script" not in svg and not re.search(r"\son\w+=", svg)
    assert 'role="img"' in svg and 'aria-label="10年心血管病风险（%）2025–2026年度变化"' in svg
    assert "<title>10年心血管病风险（%）2025–2026年度变化</title>" in svg
    assert "<title>2026: 6.0%</title>" in svg
    assert svg.count("<rect") == 2  # the medium (5–10 %) and high (≥10 %) bands


def test_the_bands_sit_at_five_and_ten_percent():
    svg = str(cvd_chart([result(2025, 0.0), result(2026, 15.0)]))
    (_x0, y_zero), (_x1, y_fifteen) = points(svg)
    rects = re.findall(r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"', svg)
    (medium_top, medium_height), (high_top, _h) = [(float(a), float(b)) for a, b in rects]
    scale = (y_zero - y_fifteen) / 15
    assert medium_top == pytest.approx(y_zero - 10 * scale, abs=0.1)
    assert medium_top + medium_height == pytest.approx(y_zero - 5 * scale, abs=0.1)
    assert high_top == pytest.approx(y_fifteen, abs=0.1)


@pytest.mark.parametrize("results", [[], [result(2026, 5.0)], [result(2025, None), result(2026, 5.0)]])
def test_fewer_than_two_points_give_an_explanation_not_a_chart(results):
    html = str(cvd_chart(results))
    assert "<svg" not in html and "至少两个年度" in html


def test_changes_are_against_the_previous_result_newest_first():
    rows = year_rows(
        [
            result(2026, 7.65, "medium", gastric="low", apcs="high"),
            result(2024, 4.7, "low", gastric="medium", apcs="high"),
            result(2025, None, "", missing={"gastric": ["age"]}),
        ]
    )
    assert [r.result.year for r in rows] == [2026, 2025, 2024]
    newest, middle, oldest = rows
    assert oldest.previous is None and oldest.cvd_change is None and oldest.cvd_direction == ""
    assert middle.cvd_change is None and middle.gastric_not_applicable
    assert newest.previous.year == 2025 and newest.cvd_change is None  # 2025 had no CVD score
    two = year_rows([result(2025, 4.7, "low", apcs="high"), result(2026, 7.65, "medium", apcs="moderate")])
    assert two[0].cvd_change == 3.0 and two[0].cvd_direction == "up" and two[0].apcs_direction == "down"
    assert year_rows([result(2025, 5.04, "medium"), result(2026, 5.0, "medium")])[0].cvd_change == 0.0


def test_direction_compares_categories_only_when_both_exist():
    assert direction("low", "high") == "up" and direction("high", "medium") == "down"
    assert direction("moderate", "moderate") == "same" and direction("", "high") == ""


@pytest.mark.django_db
def test_the_person_record_shows_the_results_and_the_chart(client, world):
    ho1, p1 = world["ho1"], world["p1"]
    screen(p1, 2024, LOW, ho1)  # age 38 on the checkup: gastric not applicable
    screen(p1, 2025, MEDIUM, ho1)
    screen(p1, 2026, HIGH, ho1)
    for year in (2024, 2025, 2026):
        runs.start_run(ho1, year)
    client.force_login(ho1)
    page = client.get(reverse("health:person", args=[p1.pk])).content.decode()
    table = page.split('id="screening-trend"', 1)[1].split("</table>", 1)[0]
    assert [int(y) for y in re.findall(r'data-year="(\d+)"', table)] == [2026, 2025, 2024]
    rows = re.findall(r"<tr data-year.*?</tr>", table, re.S)
    assert "高危" in rows[0] and "↑" in rows[0] and "个百分点" in rows[0]
    assert "未满40岁，不适用" in rows[2] and "首次" in rows[2]
    assert 'id="cvd-chart"' in page and len(points(page)) == 3
    assert "style=" not in page.split('id="cvd-chart"', 1)[1].split("</svg>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ho2", "leader"])
def test_other_officers_and_leaders_do_not_see_the_results(client, world, who):
    screen(world["p1"], 2026, HIGH, world["ho1"])
    runs.start_run(world["ho1"], 2026)
    client.force_login(world[who])
    assert client.get(reverse("health:person", args=[world["p1"].pk])).status_code == 404
