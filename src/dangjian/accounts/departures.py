"""Accounts follow the roster: a person who leaves loses a member's access the same day.

A person has left when they are off the roster (their record deleted: they left the institute) or when their
party membership ended without another one starting (transferred out of the tree, removed, 除名 …). An account
whose only roles are the self-scoped ``member`` role exists for that person to see their own record; once they
have left it would keep showing a record that is no longer theirs to act on, so it is deactivated at once
(audited with the reason). An account that holds other roles (a secretary, an officer) is a decision of the
security administrator: it stays active and is listed on the system administrator's accounts page under
"人员已离开" (``left_q``), where whoever manages accounts sees it.

People services call ``person_left`` where a membership ends for good (``people.services.end_membership``, which
transfers out and lost-contact removals use) and where a person is deleted, inside their transaction.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from dangjian.audit.services import record

from .models import RoleAssignment, User
from .roles import GLOBAL_ROLES, SELF_ROLES
from .services import _user_snapshot


def unlinked_q() -> Q:
    """Accounts still to be linked to their person: administrators' accounts are never linked, so not these."""
    admins = RoleAssignment.objects.active().filter(role__in=GLOBAL_ROLES).values("user_id")
    return Q(person__isnull=True) & ~Q(pk__in=admins)


def left_q() -> Q:
    """Users whose linked person has left: deleted, or a member once whose every membership has ended."""
    from dangjian.people.models import Membership

    memberships = Membership.objects.filter(person_id=OuterRef("person_id"))
    current = Membership.objects.current().filter(person_id=OuterRef("person_id"))
    return Q(person__isnull=False) & (Q(person__deleted_at__isnull=False) | (Exists(memberships) & ~Exists(current)))


def person_left(person_id: int, reason: str) -> User | None:
    """Deactivate the person's account if they have left and it holds nothing but member roles.

    Returns the account deactivated, if any. Call it inside the transaction that records the departure: the
    account is locked, and the deactivation rolls back with the departure if that fails.
    """
    user = User.objects.select_for_update().filter(person_id=person_id, is_active=True).first()
    if user is None or not User.objects.filter(left_q(), pk=user.pk).exists():
        return None
    roles = set(RoleAssignment.objects.active().filter(user=user).values_list("role", flat=True))
    if roles - SELF_ROLES:
        return None  # listed under 人员已离开 for the administrators to decide
    before = _user_snapshot(user)
    user.is_active = False  # the pre_save signal ends its API tokens too
    user.save(update_fields=["is_active"])
    record(
        "update",
        user,
        before=before,
        after=_user_snapshot(user),
        detail={"deactivated": _("人员已离开：%(reason)s") % {"reason": reason}},
    )
    return user
