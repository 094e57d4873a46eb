"""Making valid ID numbers for demo data and tests (GB 11643-1999)."""

from __future__ import annotations

from datetime import date

from dangjian.people.idcard import check_char

DEFAULT_REGION = "110105"


def make_id_number(birth: date, sex: str, serial: int = 1, region: str = DEFAULT_REGION) -> str:
    """A valid 18-character number: region, birth date, 3-digit sequence (odd for men), check character."""
    seq = 2 * (serial % 500) + (1 if sex == "M" else 0)
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + check_char(body)
