from __future__ import annotations

from dataclasses import dataclass

import pytest

from dangjian.core import context
from dangjian.testing import Tree, make_member, make_tree, make_user


@dataclass
class World:
    t: Tree
    m1: object  # a member of branch1
    sec1: object  # secretary of branch1
    sec2: object  # secretary of branch2
    office: object  # the committee office: whole tree
    leader: object  # view only


@pytest.fixture
def fast_passwords(settings):
    # the project's hasher is deliberately slow; these tests create several users each
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db, fast_passwords) -> World:
    t = make_tree()
    m1 = make_member(t.branch1, "张转接", department=t.dept1)
    sec1 = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    sec2 = make_user("sec2", "secretary", t.branch2, person=make_member(t.branch2, "书记乙"))
    office = make_user("office", "office", t.root)
    leader = make_user("leader", "leader", t.root)
    return World(t, m1, sec1, sec2, office, leader)


@pytest.fixture(autouse=True)
def _audit_user(request):
    if "world" not in request.fixturenames:
        yield
        return
    w = request.getfixturevalue("world")
    with context.acting(w.sec1):
        yield
