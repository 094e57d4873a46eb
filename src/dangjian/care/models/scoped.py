"""Scope for care rows: care covers every employee, so a row is visible when its person is (people of the
branches in scope plus staff of the departments those branches cover)."""

from __future__ import annotations

from dangjian.core.models import SoftDeleteQuerySet


class PersonScopedQuerySet(SoftDeleteQuerySet):
    person_field = "person"

    def visible_to(self, user, perm: str = "care.view"):
        from dangjian.accounts.scope import scope_for
        from dangjian.people.models import Person

        if scope_for(user, perm).everything:
            return self
        people = Person.objects.visible_to(user, perm).values("pk")
        return self.filter(**{f"{self.person_field}_id__in": people})
