"""Creating an event's obligations: which rules apply, the deadline, and who is responsible.

The responsible person is resolved where the platform knows them: the secretary of the person's branch (the
branch of the current membership, or for non-members the branch covering their department) and the care
officer whose scope is the nearest above that branch. Department heads are not recorded in the platform, so
those obligations keep the role only and show on the lists of everyone who may change care records in scope.
"""

from __future__ import annotations

from datetime import date, timedelta

from dangjian.accounts.models import RoleAssignment
from dangjian.accounts.roles import Role
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person
from dangjian.rules.services import book as rule_book

from .models import CareEvent, CareRule, Obligation, Responsible
from .rule_terms import terms_on


def deadline(occurred_on: date, days: int) -> date:
    """Due on the ``days``-th day after the event; the obligation is late from the day after that."""
    return occurred_on + timedelta(days=days)


def branch_of(person: Person) -> Organization | None:
    membership = Membership.objects.current().filter(person=person).select_related("organization").first()
    if membership is not None:
        return membership.organization
    if person.department_id:
        return (
            Organization.objects.filter(kind="branch", departments=person.department_id, dissolved_on__isnull=True)
            .order_by("path")
            .first()
        )
    return None


def responsible_user(role: str, branch: Organization | None):
    if branch is None:
        return None
    active = RoleAssignment.objects.active().select_related("user", "organization").filter(user__is_active=True)
    if role == Responsible.SECRETARY:
        a = active.filter(role=Role.SECRETARY, organization=branch).order_by("granted_at", "id").first()
        return a.user if a else None
    if role == Responsible.CARE_OFFICER:
        ancestors = [branch.path[:i] for i in range(Organization.steplen, len(branch.path) + 1, Organization.steplen)]
        candidates = active.filter(role=Role.CARE_OFFICER, organization__path__in=ancestors)
        # The nearest care officer above the branch: the longest path wins.
        best = max(candidates, key=lambda a: (len(a.organization.path), -a.pk), default=None)
        return best.user if best else None
    return None


def create_obligations(event: CareEvent) -> list[Obligation]:
    """The obligations of the lines whose terms in force on the day of the event say "in use": an event recorded
    late is judged by the list as it stood when it happened, not as it stands when it is recorded."""
    book = rule_book()
    users: dict[str, object] = {}
    out = []
    for rule in CareRule.objects.filter(trigger=event.kind).order_by("kind", "id"):
        terms = terms_on(book, rule, event.occurred_on)
        if terms is None or not terms.active:
            continue
        if rule.responsible not in users:
            users[rule.responsible] = responsible_user(rule.responsible, event.branch)
        out.append(
            Obligation(
                event=event,
                rule=rule,
                kind=rule.kind,
                responsible_role=rule.responsible,
                responsible_user=users[rule.responsible],
                due_on=deadline(event.occurred_on, terms.deadline_days),
            )
        )
    return Obligation.objects.bulk_create(out)
