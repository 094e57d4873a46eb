"""The 党费 section of the ledger: the monthly collection and the yearly summary rendered into a .docx and read back,
their gaps (months without collection, members in arrears) and their queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from django.utils import timezone

from dangjian.core import paper
from dangjian.core.contributions import Period, contributions
from dangjian.dues import services
from dangjian.dues.documents import MONTHS, YEAR
from dangjian.dues.rules import dues_for
from dangjian.testing import make_member

pytestmark = pytest.mark.django_db


def _render(part, org, year: int) -> docx.Document:
    document = paper.new_document()
    part.render(org, Period.year(year), document)
    return docx.Document(BytesIO(paper.to_bytes(document)))


def _rows(document) -> list[list[str]]:
    (table,) = document.tables
    return [[c.text for c in row.cells] for row in table.rows]


MONTHLY = dues_for("employee", Decimal("4000"), on=date(2025, 1, 1)).amount
HALF_YEAR = MONTHLY * 6


def _half_year_paid(world):
    """张党员 (一支部) owes 2025 on a base of 4000 and paid January to June in full; 书记甲 has no base."""
    services.set_base(world.sec1, world.member.pk, date(2025, 1, 1), "employee", "4000")
    services.record_payment(
        world.sec1,
        world.member.pk,
        {
            "amount": HALF_YEAR,
            "month_from": date(2025, 1, 1),
            "month_to": date(2025, 6, 1),
            "paid_on": date(2025, 6, 10),
        },
    )


def test_each_month_with_its_members_amounts_and_rate_then_the_year(world):
    _half_year_paid(world)

    back = _render(MONTHS, world.t.branch1, 2025)

    assert back.paragraphs[0].text == "党费收缴情况（按月）"
    rows = _rows(back)
    assert rows[0] == ["月份", "应交人数", "应交（元）", "减免（元）", "实交（元）", "未交清人数", "收缴率"]
    by_month = {r[0]: r[1:] for r in rows[1:]}
    assert list(by_month)[:2] == ["2025年1月", "2025年2月"] and len(by_month) == 13
    january, july, year = by_month["2025年1月"], by_month["2025年7月"], by_month["全年合计"]
    # 书记甲 without a base owes an amount not yet known: not paid up, and not in the rate
    assert january == ["2", f"{MONTHLY:.2f}", "0.00", f"{MONTHLY:.2f}", "1", "100.0%"]
    assert july[3] == "0.00" and july[4] == "2" and july[5] == "0.0%"
    assert year == ["24", f"{MONTHLY * 12:.2f}", "0.00", f"{HALF_YEAR:.2f}", "18", "50.0%"]


def test_each_member_with_the_years_amounts_and_months_paid(world):
    _half_year_paid(world)

    back = _render(YEAR, world.t.general, 2025)

    assert back.paragraphs[0].text == "党费收缴年度汇总"
    rows = _rows(back)
    assert rows[0][:3] == ["序号", "姓名", "党支部"]
    people = {r[1]: r for r in rows[1:]}
    assert set(people) == {"张党员", "书记甲", "李党员", "书记乙", "合计"}  # not 机关支部's
    assert (
        people["张党员"][2] == "一支部" and people["张党员"][5] == f"{HALF_YEAR:.2f}" and people["张党员"][8] == "6/12"
    )
    assert people["书记乙"][5] == "0.00" and people["书记乙"][8] == "0/12"
    assert rows[-1][1:3] == ["合计", "4人"] and rows[-1][5] == f"{HALF_YEAR:.2f}"
    # a branch's own ledger leaves out the 党支部 column
    rows = _rows(_render(YEAR, world.t.branch1, 2025))
    assert rows[0][:3] == ["序号", "姓名", "应交（元）"]
    assert {r[1]: r[4] for r in rows[1:]}["张党员"] == f"{HALF_YEAR:.2f}" and rows[-1][1] == "合计（2人）"


def test_gaps_are_the_months_without_collection_and_the_members_in_arrears(world):
    _half_year_paid(world)

    months = [g.text for g in MONTHS.gaps(world.t.branch1, Period.year(2025))]
    # 一支部 collected January to June (张党员's payment); July to December nothing was recorded
    assert months == [f"一支部2025年{m}月无党费收缴记录" for m in range(7, 13)]
    gap = MONTHS.gaps(world.t.branch1, Period.year(2025))[0]
    assert gap.section == "dues" and gap.link.endswith("?month=2025-07") and gap.due == date(2025, 7, 31)

    arrears = {g.text for g in YEAR.gaps(world.t.branch1, Period.year(2025))}
    assert "张党员（一支部）自2025年7月起连续6个月未交纳党费" in arrears
    assert any(text.startswith("书记甲（一支部）") for text in arrears)
    assert not any("李党员" in text for text in arrears)  # another branch

    # paid up to December: neither the months nor 张党员 are gaps any more
    services.record_payment(
        world.sec1,
        world.member.pk,
        {
            "amount": HALF_YEAR,
            "month_from": date(2025, 7, 1),
            "month_to": date(2025, 12, 1),
            "paid_on": date(2025, 12, 5),
        },
    )
    assert MONTHS.gaps(world.t.branch1, Period.year(2025)) == []
    assert not any(g.text.startswith("张党员") for g in YEAR.gaps(world.t.branch1, Period.year(2025)))


def test_queries_do_not_grow_with_the_members(world, django_assert_max_num_queries):
    _half_year_paid(world)
    year = Period.year(2025)
    with django_assert_max_num_queries(4):
        MONTHS.render(world.t.root, year, paper.new_document())
    with django_assert_max_num_queries(4):
        YEAR.render(world.t.root, year, paper.new_document())
    with django_assert_max_num_queries(4):
        MONTHS.gaps(world.t.root, year)
    with django_assert_max_num_queries(4) as before:
        YEAR.gaps(world.t.root, year)
    for n in range(5):
        person = make_member(world.t.branch2, f"新党员{n}")
        services.set_base(world.sec2, person.pk, date(2025, 1, 1), "employee", "5000")
    with django_assert_max_num_queries(4):
        MONTHS.render(world.t.root, year, paper.new_document())
    with django_assert_max_num_queries(4):
        YEAR.render(world.t.root, year, paper.new_document())
    with django_assert_max_num_queries(4):
        MONTHS.gaps(world.t.root, year)
    with django_assert_max_num_queries(len(before)):
        YEAR.gaps(world.t.root, year)


def test_a_year_not_begun_has_no_record_and_the_parts_are_registered(world):
    next_year = timezone.localdate().year + 1
    for part in (MONTHS, YEAR):
        assert "本年度无党费记录。" in [p.text for p in _render(part, world.t.root, next_year).paragraphs]
    assert MONTHS.gaps(world.t.root, Period.year(next_year)) == []
    (dues,) = [c for c in contributions() if c.app == "dues"]
    assert dues.documents == (MONTHS, YEAR)
    assert [(p.section, p.order, p.landscape) for p in dues.documents] == [("dues", 10, False), ("dues", 20, False)]
