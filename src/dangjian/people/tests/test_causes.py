"""Coded causes (党内统计: 党员增加/减少 by cause) on every write path of the people services, and the backfill of
rows written before the codes existed (migration 0009)."""

from __future__ import annotations

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from dangjian.people import services
from dangjian.people.models import Membership
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    t = make_tree()
    return t, make_user("office", "office", t.root)


def test_a_move_between_branches_is_moved_on_both_ends(world):
    t, office = world
    p = make_member(t.branch1)
    new = services.move_membership(office, p.pk, t.branch2.pk, on=date(2025, 3, 1))
    old = Membership.objects.get(person=p, organization=t.branch1)
    assert (old.end_cause, new.start_cause) == ("moved", "moved")


def test_ending_a_membership_needs_a_cause_and_keeps_the_words(world):
    t, _office = world
    p = make_member(t.branch1)
    with pytest.raises(TypeError):
        services.end_membership(p, on=date(2025, 3, 1), reason="病故")  # type: ignore[call-arg]
    for bad in ("", "moved", "nonsense"):
        with pytest.raises(ValidationError):
            services.end_membership(p, on=date(2025, 3, 1), reason="病故", cause=bad)
    ended = services.end_membership(p, on=date(2025, 3, 1), reason="因病去世", cause="died")
    assert (ended.ended_on, ended.end_reason, ended.end_cause) == (date(2025, 3, 1), "因病去世", "died")


def test_deleting_a_person_ends_the_membership_as_an_error(world):
    t, office = world
    p = make_member(t.branch1)
    services.delete_person(office, p.pk, "重复录入")
    m = Membership.all_objects.get(person=p)
    assert m.end_cause == "error" and m.end_reason == "人员删除：重复录入"


def test_a_membership_started_by_hand_is_recorded_unless_the_caller_says(world):
    t, office = world
    a, b = make_person(), make_person()
    data = {"status": "full", "started_on": date(2024, 1, 1), "admitted_on": date(2010, 1, 1)}
    assert services.start_membership(office, a.pk, t.branch1.pk, data).start_cause == "recorded"
    m = services.start_membership(office, b.pk, t.branch1.pk, {**data, "start_cause": "transferred_in"})
    assert m.start_cause == "transferred_in"


def _backfill():
    import_module("dangjian.people.migrations.0009_backfill_causes").backfill(django_apps, None)


def _row(person, org, started, ended=None, reason="", **extra):
    return Membership.objects.create(
        person=person, organization=org, status="full", started_on=started, ended_on=ended, end_reason=reason, **extra
    )


def test_the_backfill_reads_the_words_and_what_followed(world):
    t, _office = world
    p = [make_person() for _ in range(7)]
    d1, d2, d3 = date(2020, 1, 1), date(2023, 5, 1), date(2024, 9, 1)
    rows = {
        # moved by the old page (words say 转至 but the next row starts the same day): moved on both ends
        "move_end": _row(p[0], t.branch1, d1, d2, "组织关系转至二支部"),
        "move_start": _row(p[0], t.branch2, d2),
        # out of the tree
        "out": _row(p[1], t.branch1, d1, d2, "组织关系转出至中共某大学委员会"),
        "stop": _row(p[2], t.branch1, d1, d2, "停止党籍（失联）"),
        "restore": _row(p[2], t.branch1, d3),
        "removed": _row(p[3], t.branch1, d1, d2, "按自行脱党除名（失联）"),
        "deleted": _row(p[4], t.branch1, d1, d2, "人员删除：重复录入"),
        "import": _row(p[5], t.branch1, d1, d2, "花名册导入调整"),
        "import_next": _row(p[5], t.branch2, d2),
        "unknown": _row(p[6], t.branch1, d1, d2, "其他"),
        "coded": _row(p[6], t.branch2, d3, start_cause="transferred_in"),
    }
    _backfill()
    got = {k: (m.start_cause, m.end_cause) for k, m in ((k, Membership.objects.get(pk=v.pk)) for k, v in rows.items())}
    assert got == {
        "move_end": ("recorded", "moved"),
        "move_start": ("moved", ""),
        "out": ("recorded", "transferred_out"),
        "stop": ("recorded", "suspended"),
        "restore": ("restored", ""),
        "removed": ("recorded", "removed"),
        "deleted": ("recorded", "error"),
        "import": ("recorded", "moved"),
        "import_next": ("moved", ""),
        "unknown": ("recorded", ""),  # words that say nothing known: left for the data-quality page
        "coded": ("transferred_in", ""),  # a cause already set is kept
    }
    _backfill()  # idempotent
    assert Membership.objects.get(pk=rows["move_start"].pk).start_cause == "moved"
