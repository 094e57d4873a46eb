"""The statistics on a hand-made world with every kind of change (``world``): the comparison balances, each
cause counts where it should, a move counts only across the subtree's edge, a one-sided transfer is listed, the
upper committee's figures are the sum of its subordinates', and the queries do not grow with the data."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.people.models import Honour, Membership
from dangjian.stats.compute import cell, compute, subtree_of
from dangjian.testing import make_member

from .world import YEAR, build, member, move

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return build(personas.tree)


def test_the_whole_committee_balances_with_every_cause(personas, world):
    stats = compute(subtree_of([personas.tree.root]), YEAR)
    b = stats.balance
    assert (b.last_year, b.this_year) == (13, 9)
    assert b.increases == {"admitted": 1, "transferred_in": 1, "restored": 1}
    assert b.decreases == {
        "died": 1,
        "transferred_out": 1,
        "removed": 1,
        "expelled": 1,
        "left": 1,
        "cancelled": 1,
        "suspended": 1,
    }
    assert b.imbalances == []
    assert b.balanced


def test_a_move_counts_only_across_the_subtree_edge(personas, world):
    t = personas.tree
    general = compute(subtree_of([t.general]), YEAR).balance
    # 戊调整 moved between the general branch's own branches: no change; 戊跨总支 left it for 机关支部
    assert general.decreases["transferred_out"] == 2  # 丁转出 and 戊跨总支
    assert general.increases["transferred_in"] == 0
    assert general.balanced
    branch1 = compute(subtree_of([t.branch1]), YEAR).balance
    assert branch1.decreases["transferred_out"] == 2  # 丁转出 and 戊调整
    office = compute(subtree_of([t.office_branch]), YEAR).balance
    assert office.increases["transferred_in"] == 2  # 丙转入 from outside, 戊跨总支 from 二支部
    assert branch1.balanced and office.balanced


def test_a_one_sided_transfer_is_listed_as_the_cause_of_the_imbalance(personas, world):
    t = personas.tree
    one_sided = member(t.branch1, "己单边")
    # the sending branch recorded a transfer out of the tree, the receiving one an internal move
    move(one_sided, t.branch2, date(2025, 5, 1), end_cause="transferred_out", start_cause="moved")
    lonely = member(t.branch2, "己无对应")
    Membership.objects.filter(person=lonely).update(ended_on=date(2025, 10, 1), end_cause="moved")
    no_cause = member(t.office_branch, "己无原因", start=date(2025, 3, 3), cause="")
    b = compute(subtree_of([t.root]), YEAR).balance
    assert not b.balanced
    listed = {i.name: "；".join(i.reasons) for i in b.imbalances}
    assert set(listed) == {"己单边", "己无对应", "己无原因"}
    assert "两端记录不一致" in listed["己单边"]
    assert "找不到同日的调整转入记录" in listed["己无对应"]
    assert "缺少增加原因" in listed["己无原因"]
    assert no_cause.pk in {i.person_id for i in b.imbalances}


def _names(result) -> set[str]:
    return set(result[1].values_list("name", flat=True))


def test_drill_down_lists_the_names_behind_each_figure(personas, world):
    root = subtree_of([personas.tree.root])
    assert _names(cell(root, YEAR, "T1", "dec_died", "n")) == {"丁死亡"}
    assert _names(cell(root, YEAR, "T1", "increases", "n")) == {"丙发展", "丙转入", "丙恢复"}
    assert _names(cell(root, YEAR, "T2", "female", "total")) == {"丙发展", "戊跨总支"}
    assert _names(cell(root, YEAR, "T2", "total", "prob")) == {"丙发展"}
    assert _names(cell(root, YEAR, "T5", "expelled", "total")) == {"丁开除"}
    assert _names(cell(root, YEAR, "T7", "on_time", "n")) == {"丙转正"}
    assert _names(cell(root, YEAR, "T7", "cancelled", "n")) == {"丁取消"}
    assert _names(cell(root, YEAR, "T8", "female", "n")) == {"丙发展"}
    assert _names(cell(root, YEAR, "T2", "adm_p7", "total")) == {"丙发展", "丙转正"}
    stats = compute(root, YEAR)
    t2 = next(t for t in stats.tables if t.code == "T2")
    assert dict(t2.rows)[next(r for r, _c in t2.rows if r.key == "total")]["total"] == stats.balance.this_year
    assert cell(root, YEAR, "T2", "nothing", "total") is None


def test_honours_count_where_the_member_was_on_the_day(personas, world):
    t = personas.tree
    Honour.objects.create(
        person=world.people["戊跨总支"], title="优秀共产党员", kind="party", level="institute",
        awarded_on=date(2025, 7, 1), issuer="所党委",
    )  # fmt: skip
    assert _names(cell(subtree_of([t.branch2]), YEAR, "T6", "total", "n")) == {"戊跨总支"}
    assert _names(cell(subtree_of([t.office_branch]), YEAR, "T6", "total", "n")) == set()


def _figures(stats) -> dict:
    out = {(t.code, row.key, k): v for t in stats.tables for row, cells in t.rows for k, v in cells.items()}
    return {k: v for k, v in out.items() if k[0] != "T10"}


STOCKS = {("T1", "last_year", "n"), ("T1", "this_year", "n")}


def test_the_upper_committee_is_the_sum_of_its_subordinates(personas, world):
    """Every figure but the flows of T1 (a move between two subordinates is a 转出 and a 转入 of theirs, no change
    of the committee's) and T10 (the committee counts itself) is the sum of the subordinates' figures."""
    t = personas.tree
    for upper, lower in ((t.root, [t.general, t.office_branch]), (t.general, [t.branch1, t.branch2])):
        whole = _figures(compute(subtree_of([upper]), YEAR))
        parts = [_figures(compute(subtree_of([o]), YEAR)) for o in lower]
        for key, value in whole.items():
            if key[0] == "T1" and key not in STOCKS:
                continue
            total = None if value is None else sum(p[key] for p in parts)
            assert value == total, (upper.name, key)
    # the flows: the committee's changes are the subordinates' less the moves between them
    root = compute(subtree_of([t.root]), YEAR).balance
    general = compute(subtree_of([t.general]), YEAR).balance
    office = compute(subtree_of([t.office_branch]), YEAR).balance
    moves_between = 1  # 戊跨总支
    assert root.increase_total == general.increase_total + office.increase_total - moves_between
    assert root.decrease_total == general.decrease_total + office.decrease_total - moves_between


def test_queries_do_not_grow_with_the_data(personas, world):
    t = personas.tree
    with CaptureQueriesContext(connection) as small:
        compute(subtree_of([t.root]), YEAR)
    for i in range(5):
        person = make_member(t.branch2, f"新{i}")
        move(person, t.office_branch, date(2025, 10, i + 1))
    with CaptureQueriesContext(connection) as large:
        compute(subtree_of([t.root]), YEAR)
    with CaptureQueriesContext(connection) as branch:
        compute(subtree_of([t.branch1]), YEAR)
    assert len(small) == len(large) == len(branch) <= 20


def test_party_stats_command_prints_the_tables_as_json(personas, world):
    out = StringIO()
    call_command("party_stats", "--year", str(YEAR), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"tables", "balance"}
    assert data["balance"] == {"last_year": 13, "increases": 3, "decreases": 7, "this_year": 9, "balanced": True}
    codes = [t["code"] for t in data["tables"]]
    assert codes == [f"T{i}" for i in range(1, 11)]
    for table in data["tables"]:
        assert set(table) == {"code", "title", "rows"}
        assert all(set(row) == {"label", "cells"} for row in table["rows"])
    t2 = data["tables"][1]
    assert t2["rows"][0] == {"label": "党员总数", "cells": {"合计": 9, "正式党员": 8, "预备党员": 1}}
    out = StringIO()
    call_command("party_stats", "--year", str(YEAR), "--organization", personas.tree.general.code, "--json", stdout=out)
    assert json.loads(out.getvalue())["balance"]["this_year"] == 7
