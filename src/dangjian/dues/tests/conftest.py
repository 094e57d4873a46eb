from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from dangjian.accounts.models import User
from dangjian.core import context
from dangjian.people.models import Person
from dangjian.testing import Tree, make_member, make_tree, make_user

ADMITTED = date(2024, 3, 15)


@dataclass
class World:
    t: Tree
    member: Person  # branch1, admitted 2024-03-15
    other: Person  # branch2
    sec1: User
    sec2: User
    general: User  # secretary of the general branch above branch1: not a 党委, so it approves no relief
    committee: User  # secretary of the 党委 above the general branch: the 上一级党委 that approves relief
    office: User
    member_user: User


@pytest.fixture
def world(db, settings) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users in tests
    t = make_tree()
    member = make_member(t.branch1, "张党员", department=t.dept1)
    member.memberships.update(admitted_on=ADMITTED)
    other = make_member(t.branch2, "李党员", department=t.dept2)
    return World(
        t=t,
        member=member,
        other=other,
        sec1=make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲")),
        sec2=make_user("sec2", "secretary", t.branch2, person=make_member(t.branch2, "书记乙")),
        general=make_user("gen", "secretary", t.general),
        committee=make_user("csec", "secretary", t.root),
        office=make_user("office", "office", t.root),
        member_user=make_user("m1", "member", person=member),
    )


@pytest.fixture(autouse=True)
def _acting(request):
    if "world" in request.fixturenames:
        w = request.getfixturevalue("world")
        with context.acting(w.sec1):
            yield
    else:
        yield
