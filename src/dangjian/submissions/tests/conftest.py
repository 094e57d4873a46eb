"""A small tree for the 请示报告 tests: two branches under a general branch under the committee (``make_tree``), the
office over the committee, the secretaries of both branches, a committee member of branch1, a leader of the
committee and the office of branch2 alone (who answers nothing above it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from dangjian.core import context
from dangjian.submissions import services
from dangjian.testing import make_member, make_tree, make_user


@dataclass
class World:
    t: Any
    office: Any
    sec1: Any
    sec2: Any
    committee1: Any
    leader: Any
    office_b2: Any

    def draft(self, user=None, **data):
        user = user or self.sec1
        fields = {
            "organization": self.t.branch1,
            "kind": "request",
            "category": "election",
            "title": "关于一支部委员会换届选举的请示",
            "body": "一支部委员会任期届满，拟召开党员大会进行换届选举。\n妥否，请批示。",
        } | data
        with context.acting(user):
            return services.save_draft(user, fields)

    def sent(self, user=None, **data):
        user = user or self.sec1
        sub = self.draft(user, **data)
        with context.acting(user):
            return services.send(user, sub.pk)


@pytest.fixture
def w(db):
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", department=t.dept1)
    p2 = make_member(t.branch2, "乙二", department=t.dept2)
    p3 = make_member(t.branch1, "丙三", department=t.dept1)
    p4 = make_member(t.office_branch, "丁四")
    return World(
        t=t,
        office=make_user("office", "office", t.root),
        sec1=make_user("sec1", "secretary", t.branch1, person=p1),
        sec2=make_user("sec2", "secretary", t.branch2, person=p2),
        committee1=make_user("cm1", "committee_member", t.branch1, person=p3),
        leader=make_user("leader", "leader", t.root, person=p4),
        office_b2=make_user("office_b2", "office", t.branch2),
    )
