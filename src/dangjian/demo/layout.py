"""Turning an institute's layout (rooms, centres, offices, retirees) into organisation and department nodes.

The pattern is the one DEMO.md describes: a branch per research room (支部建在室上), a general
branch over each large centre, joint branches for small offices, and a retirees' general
branch. Flagship and generated institutes share this builder, so every institute at every
scale has the same believable shape.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from .spec import DeptNode, InstituteSpec, OrgNode, cn_number

Rooms = list[tuple[str, int]]

# Expected share of party members, used only to decide which branches are large enough for groups.
_STAFF_RATE, _RETIREE_RATE = 0.45, 0.6
_GROUPS_FROM = 22  # expected members from which a branch is split into party groups
_LATEST_FOUNDING = date(2016, 1, 1)


@dataclass
class Layout:
    name: str
    prefix: str
    city: str
    founded_on: date
    rooms: Rooms  # research rooms with a branch each, directly under the committee
    centres: list[tuple[str, int, Rooms]]  # centre name, its own staff, its rooms (one branch each)
    joint_rooms: list[tuple[str, Rooms]]  # joint branches of small research units
    offices: list[tuple[str, Rooms]]  # branches of functional offices, under 机关党总支
    retiree_areas: int = 4
    retirees: int = 300
    flags: dict[str, frozenset[str]] = field(default_factory=dict)  # by organisation name
    jitter: float = 0.12


class _Codes:
    def __init__(self, prefix: str):
        self.prefix, self._org, self._dept = prefix, 0, 0

    def org(self) -> str:
        self._org += 1
        return f"{self.prefix}-{self._org:03d}"

    def dept(self) -> str:
        self._dept += 1
        return f"{self.prefix}.D{self._dept:03d}"


class _Builder:
    def __init__(self, layout: Layout, rng: random.Random):
        self.layout, self.rng, self.codes = layout, rng, _Codes(layout.prefix)

    def headcount(self, n: int) -> int:
        j = self.layout.jitter
        return max(3, round(n * self.rng.uniform(1 - j, 1 + j))) if n else 0

    def founded(self, after: date) -> date:
        span = max(0, (_LATEST_FOUNDING - after).days)
        return after + timedelta(days=self.rng.randint(0, span // 3))

    def org(self, parent: OrgNode, name: str, kind: str, *, joint: bool = False, short: str = "") -> OrgNode:
        assert parent.founded_on is not None
        node = OrgNode(
            name=name,
            code=self.codes.org(),
            kind=kind,
            short_name=short,
            joint=joint,
            founded_on=self.founded(parent.founded_on),
            flags=self.layout.flags.get(name, frozenset()),
        )
        return parent.add(node)

    def dept(self, parent: DeptNode, name: str, kind: str, n: int, *, retired: bool = False) -> DeptNode:
        return parent.add(DeptNode(name, self.codes.dept(), kind, self.headcount(n), retired=retired))

    def branch(self, parent: OrgNode, name: str, depts: list[DeptNode], *, joint: bool = False) -> OrgNode:
        node = self.org(parent, name, "branch", joint=joint)
        node.departments.extend(depts)
        for d in depts:
            d.branch = node
        return node


def build_institute(layout: Layout, rng: random.Random) -> InstituteSpec:
    b = _Builder(layout, rng)
    org = OrgNode(
        name=f"{layout.name}党委",
        code=layout.prefix,
        kind="committee",
        short_name="所党委",
        founded_on=layout.founded_on,
        flags=layout.flags.get(f"{layout.name}党委", frozenset()),
    )
    root = DeptNode(layout.name, layout.prefix, "institute")
    org.departments.append(root)
    for name, n in layout.rooms:
        b.branch(org, f"{name}党支部", [b.dept(root, name, "research", n)])
    for name, own, rooms in layout.centres:
        centre = b.dept(root, name, "research", own)
        general = b.org(org, f"{name}党总支", "general_branch")
        general.departments.append(centre)
        for room, n in rooms:
            b.branch(general, f"{room}党支部", [b.dept(centre, room, "research", n)])
        centre.branch = general.children[0]  # the centre's own leaders sit in its first branch,
        centre.branch.departments.append(centre)  # which therefore covers the centre too
    for branch_name, rooms in layout.joint_rooms:
        b.branch(org, branch_name, [b.dept(root, r, "research", n) for r, n in rooms], joint=len(rooms) > 1)
    organs = b.org(org, "机关党总支", "general_branch")
    for branch_name, offices in layout.offices:
        depts = [b.dept(root, o, "office", n) for o, n in offices]
        b.branch(organs, branch_name, depts, joint=len(offices) > 1)
    _retirees(b, org, root, layout)
    for node in list(org.walk()):
        if node.kind == "branch":
            _add_groups(b, node)
    return InstituteSpec(org=org, dept=root, city=layout.city)


def _retirees(b: _Builder, org: OrgNode, root: DeptNode, layout: Layout) -> None:
    retired = root.add(DeptNode("离退休人员", b.codes.dept(), "other", retired=True))
    general = b.org(org, "离退休党总支", "general_branch")
    general.departments.append(retired)
    per_area = layout.retirees // layout.retiree_areas
    for i in range(1, layout.retiree_areas + 1):
        area = b.dept(retired, f"离退休人员第{cn_number(i)}片区", "other", per_area, retired=True)
        b.branch(general, f"离退休第{cn_number(i)}党支部", [area])


def _add_groups(b: _Builder, branch: OrgNode) -> None:
    expected = sum(d.headcount * (_RETIREE_RATE if d.retired else _STAFF_RATE) for d in branch.departments)
    if expected < _GROUPS_FROM:
        return
    count = 2 if expected < 34 else 3
    for k in range(1, count + 1):
        group = OrgNode(
            name=f"{branch.name}第{cn_number(k)}党小组",
            code=f"{branch.code}-{k}",
            kind="group",
            founded_on=b.founded(branch.founded_on or _LATEST_FOUNDING),
        )
        branch.add(group)
