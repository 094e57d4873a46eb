from __future__ import annotations

import pytest

from dangjian.testing import make_member, make_person, make_tree, make_user


@pytest.fixture
def care_world(db):
    """The test tree with a secretary per branch, a care officer over 一总支 and the office; 甲 is a member of
    一支部, 乙 a non-member in 一室 (covered by 一支部), 丙 a member of 二支部."""
    t = make_tree()
    w = type("World", (), {})()
    w.t = t
    w.jia = make_member(t.branch1, "甲", department=t.dept1)
    w.yi = make_person("乙", department=t.dept1)
    w.bing = make_member(t.branch2, "丙", department=t.dept2)
    w.sec1 = make_user("sec1", "secretary", t.branch1)
    w.sec2 = make_user("sec2", "secretary", t.branch2)
    w.care = make_user("care1", "care_officer", t.general)
    w.office = make_user("office1", "office", t.root)
    w.leader = make_user("leader1", "leader", t.root)
    return w
