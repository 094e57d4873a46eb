"""The annual in-party statistics (党内统计年报, ``PartyStatistics``) of a subtree as of 31 December.

The tables of the Central Organisation Department's yearly report that apply to an enterprise or institute
committee, in the report's order:

- T1 党员数量变化情况（两年对比）: ``flows``;
- T3 党员教育培训情况: ``training``;
- T2 党员基本情况 (性别, 民族, 年龄, 学历, 入党时间, 职业), T4 民主评议党员情况, T5 党员出党情况,
  T6 党内表彰情况, T7 预备党员转正情况, T8 发展党员情况, T9 入党申请人、入党积极分子、发展对象和发展党员情况,
  T10 党组织和换届选举情况: ``tables``.

Set-wise: a constant number of queries for any subtree (one per table, three for the comparison). An upper
committee's figures are the sum of its subordinates' because each is computed over the committee's whole subtree
from the same records, not by adding reports (a move between two subordinates is a 转出 of one and a 转入 of the
other, and no change of the committee).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from . import flows, training
from .flows import DECREASES, INCREASES, Balance
from .scope import Period, Subtree
from .tables import ONE, ORGANIZATIONS, PERSONS, SPEC_BY_CODE, SPECS, Line

T1_TITLE = gettext_lazy("党员数量变化情况（两年对比）")
# T1's lines whose persons come out of the year's change analysis (``flows.changes``), not out of a query
T1_CHANGE_ROWS = frozenset(
    {f"inc_{c}" for c in INCREASES} | {f"dec_{c}" for c in DECREASES} | {"increases", "decreases"}
)


@dataclass
class Table:
    code: str
    title: str
    columns: list[Line]
    rows: list[tuple[Line, dict[str, int | None]]]
    subject: str = PERSONS
    note: str = ""

    def grid(self) -> list[tuple[Line, list[tuple[Line, int | None]], str]]:
        """Rows for a template: the row, its (column, value) pairs, and the group heading it opens (or "")."""
        out, group = [], ""
        for row, cells in self.rows:
            opens = str(row.group) if row.group and str(row.group) != group else ""
            group = str(row.group) if row.group else ""
            out.append((row, [(c, cells.get(c.key)) for c in self.columns], opens))
        return out

    def as_json(self) -> dict[str, Any]:
        labels = {c.key: str(c.label) for c in self.columns}
        return {
            "code": self.code,
            "title": self.title,
            "rows": [
                {"label": str(row.label), "cells": {labels[k]: v for k, v in cells.items()}} for row, cells in self.rows
            ],
        }


@dataclass
class PartyStatistics:
    scope: Subtree
    period: Period
    balance: Balance
    tables: list[Table]

    def as_json(self) -> dict[str, Any]:
        b = self.balance
        return {
            "tables": [t.as_json() for t in self.tables],
            "balance": {
                "last_year": b.last_year,
                "increases": b.increase_total,
                "decreases": b.decrease_total,
                "this_year": b.this_year,
                "balanced": b.balanced,
            },
        }


def subtree_of(orgs: list[Organization] | None) -> Subtree:
    """The subtree below ``orgs``; None: the whole tree."""
    return Subtree(None if orgs is None else tuple(o.path for o in orgs))


def t1_rows() -> list[Line]:
    inc, dec = _("本年增加"), _("本年减少")
    return [
        Line("last_year", _("上年底党员数")),
        Line("increases", _("本年增加党员")),
        *[Line(f"inc_{c}", label, group=inc) for c, label in INCREASES.items()],
        Line("decreases", _("本年减少党员")),
        *[Line(f"dec_{c}", label, group=dec) for c, label in DECREASES.items()],
        Line("this_year", _("本年底党员数")),
    ]


def t1_table(balance: Balance) -> Table:
    values: dict[str, int] = {
        "last_year": balance.last_year,
        "increases": balance.increase_total,
        "decreases": balance.decrease_total,
        "this_year": balance.this_year,
    }
    values |= {f"inc_{c}": n for c, n in balance.increases.items()}
    values |= {f"dec_{c}": n for c, n in balance.decreases.items()}
    return Table("T1", str(T1_TITLE), ONE, [(row, {"n": values[row.key]}) for row in t1_rows()])


def compute(scope: Subtree, year: int) -> PartyStatistics:
    """Every table of the year for the subtree: a constant number of queries."""
    period = Period(year)
    balance = flows.balance(scope, period)
    tables = [t1_table(balance)]
    trained = training.reused_people(scope, period)
    t3 = [(row, {"n": len(trained[row.key])}) for row in training.rows(period)]
    for spec in SPECS:
        if spec.code == "T4":
            tables.append(Table("T3", str(training.TITLE), training.COLUMNS, t3, PERSONS, str(training.NOTE)))
        counts = spec.counts(scope, period)
        columns = spec.columns(scope, period)
        rows = [(row, {c.key: counts[(row.key, c.key)] for c in columns}) for row in spec.rows(scope, period)]
        tables.append(Table(spec.code, str(spec.title), columns, rows, spec.subject, str(spec.note)))
    return PartyStatistics(scope, period, balance, tables)


def cell_label(scope: Subtree, year: int, table: str, row_key: str, col_key: str) -> tuple[str, str, str] | None:
    """(table title, row label, column label) of a cell; None when the table has no such cell."""
    period = Period(year)
    if table in ("T1", "T3"):
        title, lines = (T1_TITLE, t1_rows()) if table == "T1" else (training.TITLE, training.rows(period))
        row = next((r for r in lines if r.key == row_key), None)
        return (str(title), str(row.label), str(ONE[0].label)) if row and col_key == "n" else None
    spec = SPEC_BY_CODE.get(table)
    if spec is None:
        return None
    row = next((r for r in spec.rows(scope, period) if r.key == row_key), None)
    col = next((c for c in spec.columns(scope, period) if c.key == col_key), None)
    if row is None or col is None or col.key in row.skip:
        return None
    return str(spec.title), str(row.label), str(col.label)


def cell(scope: Subtree, year: int, table: str, row_key: str, col_key: str) -> tuple[str, QuerySet] | None:
    """The persons or organisations behind one cell (``PERSONS`` or ``ORGANIZATIONS``, unordered queryset)."""
    period = Period(year)
    if table == "T1":
        if col_key != "n":
            return None
        return PERSONS, _t1_people(scope, period, row_key)
    if table == "T3":
        if col_key != "n" or row_key not in {r.key for r in training.rows(period)}:
            return None
        return PERSONS, Person.objects.filter(pk__in=sorted(training.reused_people(scope, period)[row_key]))
    spec = SPEC_BY_CODE.get(table)
    if spec is None:
        return None
    found = spec.cell(scope, period, row_key, col_key)
    return None if found is None else (spec.subject, found)


def cell_counted(scope: Subtree, year: int, table: str, row_key: str, col_key: str) -> QuerySet | None:
    """A cheaper count of a cell's persons (the SQL tables'), None where the list is counted itself."""
    spec = SPEC_BY_CODE.get(table)
    return None if spec is None else spec.counted(scope, Period(year), row_key, col_key)


def _t1_people(scope: Subtree, period: Period, row_key: str) -> QuerySet | None:
    if row_key in ("last_year", "this_year"):
        on = period.last if row_key == "last_year" else period.end
        return Person.objects.filter(pk__in=flows.on_rolls(scope, on).values("person_id"))
    if row_key not in T1_CHANGE_ROWS:
        return None
    return Person.objects.filter(pk__in=sorted(_t1_ids(flows.changes(scope, period), row_key)))


def ordered_cell_ids(scope: Subtree, year: int, table: str, row_key: str, col_key: str) -> list[int] | None:
    """The persons of a T1 change line or a T3 line in the list's order (sort key, name, id), from the reused
    change analysis (``flows.changes``) or training figures (``training.listed``): a page is a slice, fetched by
    fifty ids, where a database sort would have to be sent the thousands of ids of a group's year. None for every
    other cell (its list is a query)."""
    if col_key != "n":
        return None
    if table == "T3":
        period = Period(year)
        if row_key not in {r.key for r in training.rows(period)}:
            return None
        sets, members = training.listed(scope, period)
        wanted = sets[row_key]
        return [pk for pk in members if pk in wanted]
    if table != "T1" or row_key not in T1_CHANGE_ROWS:
        return None
    tally = flows.changes(scope, Period(year))
    ids = _t1_ids(tally, row_key)
    return [pk for pk in tally["ordered"] if pk in ids]


def _t1_ids(tally: dict, row_key: str) -> set[int]:
    ids: set[int]
    if row_key == "increases":
        ids = set().union(*tally["increased"].values())
    elif row_key == "decreases":
        ids = set().union(*tally["decreased"].values())
    elif row_key.startswith("inc_"):
        ids = tally["increased"][row_key[4:]]
    else:
        ids = tally["decreased"][row_key[4:]]
    return ids


__all__ = [
    "ORGANIZATIONS",
    "PERSONS",
    "PartyStatistics",
    "Table",
    "cell",
    "cell_label",
    "compute",
    "ordered_cell_ids",
    "subtree_of",
]
