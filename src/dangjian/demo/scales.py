"""The three demo scales: one institute, an academy of institutes, a group of academies.

DESIGN.md's benchmark targets are institute ≈2,000 people, academy ≈20,000 and group
≈150,000 people in ≈6,000 branches; the flagship institute of DEMO.md is part of every scale
so that the demo accounts always point at the same branch.
"""

from __future__ import annotations

import random
from datetime import date

from . import flagship
from .generic import generic_layout, institute_names
from .layout import build_institute
from .spec import DeptNode, InstituteSpec, OrgNode, Plan, cn_number

SCALES = ("institute", "academy", "group")
ACADEMY_NAME = "第九研究院"
GROUP_NAME = "星河科技集团有限公司"
_ACADEMY_INSTITUTES = 12  # generated institutes beside the flagship in 第九研究院
_GROUP_ACADEMIES = 10
_INSTITUTES_PER_ACADEMY = 10


def build_plan(scale: str, rng: random.Random) -> Plan:
    if scale not in SCALES:
        raise ValueError(f"未知的规模：{scale}（可选 {'、'.join(SCALES)}）")
    if scale == "institute":
        inst = _flagship(rng)
        return Plan(org_root=inst.org, dept_root=inst.dept, institutes=[inst])
    if scale == "academy":
        org, dept, institutes = _academy(rng, 9, _ACADEMY_INSTITUTES, with_flagship=True, taken=set())
        return Plan(org_root=org, dept_root=dept, institutes=institutes)
    return _group(rng)


def _flagship(rng: random.Random) -> InstituteSpec:
    inst = build_institute(flagship.layout(), rng)
    inst.flagship = True
    return inst


def _academy(
    rng: random.Random, number: int, generated: int, *, with_flagship: bool, taken: set[str]
) -> tuple[OrgNode, DeptNode, list[InstituteSpec]]:
    name = f"第{cn_number(number)}研究院"
    code = f"Y{number:02d}"
    org = OrgNode(f"{name}党委", code, "committee", short_name="院党委", founded_on=date(1958 + number, 3, 1))
    dept = DeptNode(name, code, "institute")
    org.departments.append(dept)
    institutes = [_flagship(rng)] if with_flagship else []
    for k, (city, inst_name) in enumerate(institute_names(rng, generated, taken | {flagship.NAME}), start=1):
        taken.add(inst_name)
        layout = generic_layout(rng, inst_name, city, f"{code}S{k:02d}")
        institutes.append(build_institute(layout, rng))
    for inst in institutes:
        org.add(inst.org)
        dept.add(inst.dept)
    return org, dept, institutes


def _group(rng: random.Random) -> Plan:
    org = OrgNode(f"{GROUP_NAME}党委", "JT", "committee", short_name="集团党委", founded_on=date(1956, 10, 1))
    dept = DeptNode(GROUP_NAME, "JT", "institute")
    org.departments.append(dept)
    institutes: list[InstituteSpec] = []
    taken: set[str] = set()
    for number in range(1, _GROUP_ACADEMIES + 1):
        with_flagship = number == 9
        generated = _INSTITUTES_PER_ACADEMY - (1 if with_flagship else 0)
        a_org, a_dept, a_insts = _academy(rng, number, generated, with_flagship=with_flagship, taken=taken)
        org.add(a_org)
        dept.add(a_dept)
        institutes.extend(a_insts)
    return Plan(org_root=org, dept_root=dept, institutes=institutes)
