"""The ledger's 党员花名册 as it stood at the end of the year, not as it stands today."""

from datetime import date

import pytest
from docx import Document

from dangjian.core.contributions import Period
from dangjian.people.documents import RosterPart
from dangjian.people.models import Membership
from dangjian.testing import make_member, make_tree

pytestmark = pytest.mark.django_db


def _text(document) -> str:
    return "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)


def test_a_member_converted_after_the_year_is_probationary_in_that_years_roster():
    t = make_tree()
    p = make_member(t.branch1, "转正晚", post="工程师", title="工程师")
    Membership.objects.filter(person=p).update(admitted_on=date(2024, 6, 1), converted_on=date(2025, 6, 1))

    earlier, later = Document(), Document()
    RosterPart().render(t.branch1, Period.year(2024), earlier)
    RosterPart().render(t.branch1, Period.year(2025), later)

    assert "预备期" in _text(earlier) and "2025-06-01" not in _text(earlier)
    assert "2025-06-01" in _text(later) and "预备期" not in _text(later)
    assert "工程师、工程师" not in _text(later) and "工程师" in _text(later)  # post and title the same: once
