"""A small world with every kind of change of 2025 (the year of these tests), on the personas' tree:

root 测试所党委 ─ 一总支 ─ 一支部 / 二支部; root ─ 机关支部. Besides the personas (甲一, 甲二 in 一支部, 乙二 in 二支部,
members since 2015 with no change), one person per change:

增加: 丙发展 (admitted to 二支部), 丙转入 (from outside into 机关支部), 丙恢复 (restored in 二支部);
减少: 丁死亡, 丁转出 (一支部), 丁开除 (二支部, expelled), 丁除名, 丁退党, 丁取消 (probationary, cancelled),
丁停止 (suspended); moves: 戊调整 (一支部 → 二支部: inside 一总支), 戊跨总支 (二支部 → 机关支部: across 一总支's edge);
丙转正 converted in 2025.

Root: last year 3 + 10 = 13 (the personas and the 10 who were there), increases 3, decreases 7, this year 9.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangjian.people.models import Membership, Person
from dangjian.testing import make_person

YEAR = 2025
OLD = date(2015, 1, 1)


def member(branch, name: str, *, start=OLD, cause="recorded", status="full", sex="M", **fields) -> Person:
    person = make_person(name, sex=sex, political_status="member")
    Membership.objects.create(
        person=person,
        organization=branch,
        status=status,
        started_on=start,
        start_cause=cause,
        admitted_on=fields.pop("admitted_on", date(2010, 7, 1)),
        **fields,
    )
    return person


def end(person: Person, on: date, cause: str) -> None:
    Membership.objects.filter(person=person, ended_on__isnull=True).update(ended_on=on, end_cause=cause)


def move(person: Person, to, on: date, *, end_cause="moved", start_cause="moved") -> None:
    current = Membership.objects.get(person=person, ended_on__isnull=True)
    end(person, on, end_cause)
    Membership.objects.create(
        person=person,
        organization=to,
        status=current.status,
        admitted_on=current.admitted_on,
        converted_on=current.converted_on,
        started_on=on,
        start_cause=start_cause,
    )


@dataclass
class World:
    people: dict[str, Person]


def build(t) -> World:
    b1, b2, office = t.branch1, t.branch2, t.office_branch
    p: dict[str, Person] = {}
    p["丙发展"] = member(
        b2, "丙发展", start=date(2025, 5, 1), cause="admitted", status="probationary", sex="F",
        admitted_on=date(2025, 4, 1),
    )  # fmt: skip
    p["丙转入"] = member(office, "丙转入", start=date(2025, 6, 1), cause="transferred_in")
    restored = make_person("丙恢复", political_status="member")
    Membership.objects.create(
        person=restored, organization=b2, status="full", started_on=OLD, ended_on=date(2023, 3, 1),
        end_cause="suspended", admitted_on=date(2000, 7, 1),
    )  # fmt: skip
    Membership.objects.create(
        person=restored, organization=b2, status="full", started_on=date(2025, 4, 1), start_cause="restored",
        admitted_on=date(2000, 7, 1),
    )  # fmt: skip
    p["丙恢复"] = restored
    for name, branch, on, cause in [
        ("丁死亡", b1, date(2025, 3, 1), "died"),
        ("丁转出", b1, date(2025, 7, 1), "transferred_out"),
        ("丁开除", b2, date(2025, 2, 1), "expelled"),
        ("丁除名", b2, date(2025, 2, 2), "removed"),
        ("丁退党", b1, date(2025, 2, 3), "left"),
        ("丁停止", b1, date(2025, 2, 5), "suspended"),
    ]:
        p[name] = member(branch, name)
        end(p[name], on, cause)
    p["丁取消"] = member(b2, "丁取消", start=date(2024, 6, 1), cause="admitted", status="probationary")
    end(p["丁取消"], date(2025, 6, 1), "cancelled")
    p["戊调整"] = member(b1, "戊调整")
    move(p["戊调整"], b2, date(2025, 8, 1))
    p["戊跨总支"] = member(b2, "戊跨总支", sex="F")
    move(p["戊跨总支"], office, date(2025, 9, 1))
    p["丙转正"] = member(
        b1, "丙转正", start=date(2024, 3, 15), cause="admitted", admitted_on=date(2024, 3, 1),
        converted_on=date(2025, 3, 1),
    )  # fmt: skip
    return World(p)
