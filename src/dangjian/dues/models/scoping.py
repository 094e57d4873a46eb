"""Dues rows are seen through the member's current branch (or, for a member, only their own person)."""

from __future__ import annotations

from django.db.models import Q

from dangjian.core.models import SoftDeleteQuerySet


def person_scope_q(user, perm: str, person_field: str) -> Q | None:
    """None means no restriction (whole tree); otherwise a Q over ``person_field``."""
    from dangjian.accounts.scope import scope_for

    scope = scope_for(user, perm)
    if scope.everything:
        return None
    q = Q(pk__in=[])
    if scope.has_orgs:
        from dangjian.people.models import Membership

        members = Membership.objects.current().filter(scope.org_q("organization__path")).values("person_id")
        q = Q(**{f"{person_field}__in": members})
    if scope.person_ids:
        q |= Q(**{f"{person_field}__in": scope.person_ids})
    return q


class PersonScopedQuerySet(SoftDeleteQuerySet):
    person_field = "account__person_id"

    def visible_to(self, user, perm: str = "dues.view"):
        q = person_scope_q(user, perm, self.person_field)
        return self if q is None else self.filter(q)
