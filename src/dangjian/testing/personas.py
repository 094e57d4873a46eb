"""The same small world in every app's tests, as Healthchecks' tests have alice, bob and charlie.

The institute of ``make_tree`` (its party committee 测试所党委 with 一支部 and 二支部 under 一总支) and four people who
use it:

- ``office``: the institute's 党委办公室, the office role at the committee over the whole tree;
- ``secretary``: 一支部's secretary (branch A), herself a member of 一支部 (甲一, staff of 一室);
- ``member``: an ordinary member of 一支部 (甲二, 一室), with the member role only;
- ``other_secretary``: 二支部's secretary (branch B), a member of 二支部 (乙二, 二室).

What one persona does, another is expected to see or not: the secretary sees 甲一 and 甲二, not 乙二; the other
secretary gets 404 on branch A's objects; the office sees both branches. A test that needs more people adds them
with ``make_member``/``make_user``; the four are never changed here, so a test can rely on them.

The ``personas`` fixture (registered in ``dangjian.pytest_plugin``) builds them for a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dangjian.accounts.models import ApiToken, User
from dangjian.testing import Tree, make_member, make_tree, make_user


@dataclass
class Personas:
    tree: Tree
    office: User
    secretary: User
    member: User
    other_secretary: User
    _tokens: dict[int, str] = field(default_factory=dict, repr=False)

    def token(self, user: User) -> str:
        """An API token of ``user``, issued on first use and the same one after that."""
        if user.pk not in self._tokens:
            self._tokens[user.pk] = ApiToken.issue(user)
        return self._tokens[user.pk]

    def auth(self, user: User) -> dict[str, str]:
        """The request headers that call the API as ``user`` (``client.get(url, **personas.auth(user))``)."""
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token(user)}"}


def make_personas() -> Personas:
    t = make_tree()
    return Personas(
        tree=t,
        office=make_user("office", "office", t.root),
        secretary=make_user(
            "secretary", "secretary", t.branch1, person=make_member(t.branch1, "甲一", department=t.dept1)
        ),
        member=make_user("member", "member", t.branch1, person=make_member(t.branch1, "甲二", department=t.dept1)),
        other_secretary=make_user(
            "other_secretary", "secretary", t.branch2, person=make_member(t.branch2, "乙二", department=t.dept2)
        ),
    )
