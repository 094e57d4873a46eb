"""The dues part of the yearly record: rendered into a .docx, re-opened, its table read back."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import docx
import pytest
from django.utils import timezone

from dangjian.core.contributions import Period, contributions
from dangjian.dues import services
from dangjian.dues.documents import RECORD

pytestmark = pytest.mark.django_db


def _reopen(document) -> docx.Document:
    buffer = BytesIO()
    document.save(buffer)
    return docx.Document(BytesIO(buffer.getvalue()))


def test_the_dues_year_is_a_table_per_branch_with_a_total_row(world):
    services.set_base(world.sec1, world.member.pk, date(2025, 1, 1), "employee", "4000")
    services.record_payment(
        world.sec1,
        world.member.pk,
        {"amount": "60", "month_from": date(2025, 1, 1), "month_to": date(2025, 6, 1), "paid_on": date(2025, 6, 10)},
    )
    document = docx.Document()
    RECORD.render(world.t.general, Period.year(2025), document)
    back = _reopen(document)
    assert "党费收缴情况（2025年）" in [p.text for p in back.paragraphs]
    (table,) = back.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    # a year counts members' months owed (person-months), not members
    assert rows[0][:5] == ["党支部", "应交人月", "应交", "减免", "实交"]
    branches = {row[0]: row for row in rows[1:]}
    assert set(branches) == {"一支部", "二支部", "合计"}  # the general branch's two branches, not 机关支部
    assert rows[-1][0] == "合计"
    assert float(branches["一支部"][4]) == 60  # paid
    assert float(branches["合计"][4]) == 60


def test_a_year_not_begun_says_so_and_the_provider_is_registered(world):
    document = docx.Document()
    RECORD.render(world.t.root, Period.year(timezone.localdate().year + 1), document)
    assert "该年度尚未开始。" in [p.text for p in _reopen(document).paragraphs]
    (dues,) = [c for c in contributions() if c.app == "dues"]
    assert dues.documents == (RECORD,)
