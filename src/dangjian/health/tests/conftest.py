"""A fixed health key for every test here (never the developer's var/health.key), and a small world."""

from __future__ import annotations

import pytest

from dangjian.pytest_plugin import TEST_HEALTH_KEY as TEST_KEY  # noqa: E402
from dangjian.testing import make_member, make_tree, make_user


@pytest.fixture(autouse=True)
def health_key(settings):
    settings.DANGJIAN_HEALTH_KEY = TEST_KEY
    settings.TASKS_INLINE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed: users in every test
    return TEST_KEY


@pytest.fixture
def world(db):
    """Two branches; a health officer for each, plus a secretary, a leader and the office who see no values."""
    t = make_tree()
    p1 = make_member(t.branch1, "张一", department=t.dept1)
    p2 = make_member(t.branch2, "李二", department=t.dept2, sex="F")
    return {
        "t": t,
        "p1": p1,
        "p2": p2,
        "ho1": make_user("ho1", "health_officer", t.branch1),
        "ho2": make_user("ho2", "health_officer", t.branch2),
        "ho_all": make_user("ho_all", "health_officer", t.root),
        "sec1": make_user("sec1", "secretary", t.branch1),
        "leader": make_user("leader", "leader", t.root),
        "office": make_user("office", "office", t.root),
    }
