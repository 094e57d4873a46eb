"""The member's own home: the kinds every app's ``mine`` module files its lines under, and who gets them.

A member's home is about the member: my next meetings, what I owe, my record and, for an applicant or activist,
my own development. Each app adds its part from its own ``mine`` module (core knows no domain app); the kinds
are shared here so that the lines of several apps land in one group. Every part reads a constant number of rows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import assignments_of

SOURCE = "mine"
MY_MEETINGS = gettext_lazy("我的会议")
MY_DUTIES = gettext_lazy("我的待办")
MY_RECORD = gettext_lazy("我的记录")
MY_DEVELOPMENT = gettext_lazy("我的入党进程")
# before every app's group: the member's own lines head the page
ORDER_MEETINGS, ORDER_DUTIES, ORDER_DEVELOPMENT, ORDER_RECORD = 1, 2, 3, 4
# the personal groups that are a record, not a to-do: the page shows them without a count
RECORD_KINDS = (MY_RECORD, MY_DEVELOPMENT)


def own_person_id(user) -> int | None:
    """The person of an account linked to a person and holding the member role (whatever other roles it holds);
    None for everyone else, who get no personal lines."""
    if not getattr(user, "person_id", None):
        return None
    if not any(a.role == "member" for a in assignments_of(user)):
        return None
    return user.person_id
