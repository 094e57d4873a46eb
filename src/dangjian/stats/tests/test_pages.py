"""The statistics pages: scope (a secretary sees their branch, 404 elsewhere), every cell a link, the balance card
with the imbalance list, the drill-down, the per-branch summary and the two .xlsx files."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.sheets.testing import list_rows
from dangjian.testing import main_content

from .world import YEAR, build, member, move

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build(personas.tree)


def test_the_menu_entry_opens_the_users_own_report(client, personas, world):
    client.force_login(personas.secretary)
    response = client.get(reverse("stats:report"), {"year": YEAR})
    assert response["Location"] == reverse("stats:org_report", args=[personas.tree.branch1.pk, YEAR])


def test_a_secretary_gets_404_on_another_branch(client, personas, world):
    client.force_login(personas.other_secretary)
    t = personas.tree
    for name, args in [
        ("stats:org_report", [t.branch1.pk, YEAR]),
        ("stats:cell", [t.branch1.pk, YEAR, "T2", "total", "total"]),
        ("stats:branches", [t.branch1.pk, YEAR]),
        ("stats:export", [t.branch1.pk, YEAR]),
        ("stats:export_branches", [t.root.pk, YEAR]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert client.get(reverse("stats:org_report", args=[t.branch2.pk, YEAR])).status_code == 200


def test_report_links_every_figure_and_balances(client, personas, world, django_assert_max_num_queries):
    client.force_login(personas.office)
    url = reverse("stats:org_report", args=[personas.tree.root.pk, YEAR])
    with django_assert_max_num_queries(30):
        response = client.get(url)
    html = main_content(response.content.decode())
    died = reverse("stats:cell", args=[personas.tree.root.pk, YEAR, "T1", "dec_died", "n"])
    assert f'href="{died}"' in html
    assert "平衡" in html and "不平衡" not in html
    for code in range(1, 11):
        assert f'id="table-T{code}"' in html


def test_the_balance_card_lists_who_breaks_it(client, personas, world):
    t = personas.tree
    person = member(t.branch1, "己单边")
    move(person, t.branch2, date(2025, 5, 1), end_cause="transferred_out", start_cause="moved")
    client.force_login(personas.office)
    html = main_content(client.get(reverse("stats:org_report", args=[t.root.pk, YEAR])).content.decode())
    assert 'id="imbalances"' in html
    assert "己单边" in html and "两端记录不一致" in html


def test_drill_down_page_lists_the_names(client, personas, world, django_assert_max_num_queries):
    client.force_login(personas.office)
    url = reverse("stats:cell", args=[personas.tree.root.pk, YEAR, "T2", "female", "total"])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = main_content(response.content.decode())
    assert "丙发展" in html and "戊跨总支" in html and "甲一" not in html
    organizations = reverse("stats:cell", args=[personas.tree.root.pk, YEAR, "T10", "branch", "year_end"])
    assert "机关支部" in main_content(client.get(organizations).content.decode())
    missing = reverse("stats:cell", args=[personas.tree.root.pk, YEAR, "T2", "nothing", "total"])
    assert client.get(missing).status_code == 404


def test_branch_summary_has_one_row_per_branch(client, personas, world):
    client.force_login(personas.office)
    t = personas.tree
    html = main_content(client.get(reverse("stats:branches", args=[t.root.pk, YEAR])).content.decode())
    for name in ("一支部", "二支部", "机关支部"):
        assert name in html
    rows = list_rows(client.get(reverse("stats:export_branches", args=[t.root.pk, YEAR])).content)
    names = [r[0] for r in rows[1:]]
    assert names[:3] == ["一支部", "二支部", "机关支部"]
    total = next(r for r in rows if str(r[0]).startswith("合计"))
    assert total[1] == 13 and total[-2] == 9


def test_report_xlsx_has_one_printable_sheet_a_table(client, personas, world):
    client.force_login(personas.office)
    content = client.get(reverse("stats:export", args=[personas.tree.root.pk, YEAR])).content
    book = load_workbook(io.BytesIO(content))
    assert [name.split(" ")[0] for name in book.sheetnames] == [f"T{i}" for i in range(1, 11)]
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 9  # A4
    rows = list_rows(content, book.sheetnames[0])
    assert ("上年底党员数", 13) in rows
