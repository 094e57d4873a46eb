"""Building roster files for the roster tests (no tests here: shared by the test_roster_* modules)."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import date
from typing import Any

from openpyxl import Workbook

from dangjian.idgen import make_id_number
from dangjian.people.roster import COLUMNS

_serial = itertools.count(300)


def new_id(sex: str = "M", birth: date = date(1980, 3, 4)) -> str:
    return make_id_number(birth, sex, serial=next(_serial))


def row(**cells: Any) -> dict[str, Any]:
    """A roster row keyed by header; a valid non-member by default."""
    out: dict[str, Any] = {"姓名": "张三", "公民身份号码": new_id(), "政治面貌": "群众"}
    out.update(cells)
    return out


def member(branch: str = "一支部", **cells: Any) -> dict[str, Any]:
    base = {"政治面貌": "中共党员", "所在党支部": branch, "入党日期": "2010-07-01", "转正日期": "2011-07-01"}
    return row(**{**base, **cells})


def xlsx(rows: list[dict[str, Any]], headers: tuple[str, ...] | list[str] = COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(list(headers))
    for r in rows:
        ws.append([r.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: list[dict[str, Any]], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(["" if r.get(h) is None else r.get(h) for h in COLUMNS])
    return out.getvalue().encode(encoding)


def errors_of(report) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in report.errors}


def find_error(report, row: int, column: str) -> str:
    messages = [e.message for e in report.errors if e.row == row and e.column == column]
    assert messages, f"no error at row {row} [{column}]; errors: {[str(e) for e in report.errors]}"
    return " / ".join(messages)
