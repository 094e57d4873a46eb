"""The people of the 示范岗 and 责任区 tests: branch1's secretary (甲) and members (乙, 丙), branch2's secretary
(丁), the committee office on the root, and 乙's own member account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dangjian.testing import make_member, make_tree, make_user


@dataclass
class World:
    t: Any
    jia: Any
    yi: Any
    bing: Any
    ding: Any
    sec1: Any
    sec2: Any
    office: Any
    member: Any


def make_world() -> World:
    t = make_tree()
    jia = make_member(t.branch1, "甲")
    yi = make_member(t.branch1, "乙")
    bing = make_member(t.branch1, "丙")
    ding = make_member(t.branch2, "丁")
    return World(
        t,
        jia,
        yi,
        bing,
        ding,
        make_user("sec1", "secretary", t.branch1, person=jia),
        make_user("sec2", "secretary", t.branch2, person=ding),
        make_user("office", "office", t.root),
        make_user("yi", "member", t.branch1, person=yi),
    )


def post_data(w: World, **over) -> dict:
    data = {
        "organization": w.t.branch1,
        "kind": "individual",
        "holder": w.yi,
        "collective": "",
        "name": "计量检定示范岗",
        "duties": "承担检定任务",
        "commitment": "检定零差错",
        "project": None,
        "stage": None,
        "starts_on": date(2024, 1, 1),
        "ends_on": None,
    }
    return {**data, **over}


def zone_data(w: World, **over) -> dict:
    data = {
        "organization": w.t.branch1,
        "name": "一室实验区",
        "member": w.yi,
        "area": "一室三号实验区",
        "commitments": "安全生产",
        "report_every": "quarter",
        "project": None,
        "stage": None,
        "starts_on": date(2024, 1, 1),
        "ends_on": None,
    }
    return {**data, **over}
