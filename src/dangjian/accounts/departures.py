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

A departure can be undone: 恢复党籍 (党员教育管理工作条例（2019）第24条) puts a member stopped for lost contact back on
the rolls, and ``person_returned`` re-activates the account the stop closed. Only that account: the deactivation's
audit event names the membership whose ending closed it, and the account is re-activated only while that event is
still the last change of its active flag, so an account an administrator disabled (before or since) stays
disabled. Its API tokens stay ended; the person signs in with their password.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.models import AuditEvent
from dangjian.audit.services import object_types, record

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
    detail: dict[str, object] = {"deactivated": _("人员已离开：%(reason)s") % {"reason": reason}}
    ended = _ended(person_id, reason)
    if ended is not None:
        detail["membership"] = ended  # what ``person_returned`` matches to undo exactly this deactivation
    record("update", user, before=before, after=_user_snapshot(user), detail=detail)
    return user


def _ended(person_id: int, reason: str) -> int | None:
    """The membership whose ending is the departure (None when the person was deleted with none ending)."""
    from dangjian.people.models import Membership

    ended = Membership.objects.filter(person_id=person_id, ended_on__isnull=False, end_reason=reason[:100])
    return ended.order_by("-ended_on", "-id").values_list("pk", flat=True).first()


def _last_active_change(user: User) -> AuditEvent | None:
    """The latest audit event that set the account's active flag (its creation included)."""
    events = AuditEvent.objects.filter(object_type__in=object_types(User), object_id=str(user.pk)).order_by("-id")
    for event in events.only("before", "after", "detail").iterator(chunk_size=50):
        before, after = event.before or {}, event.after or {}
        if "is_active" in after and before.get("is_active") != after["is_active"]:
            return event
    return None


def person_returned(person_id: int, membership_id: int, reason: str) -> User | None:
    """Re-activate the account ``person_left`` closed when membership ``membership_id`` ended, and only it.

    Returns the account re-activated, if any. Call it inside the transaction that puts the person back on the
    rolls. Nothing happens when the account was disabled for another reason, or changed by anyone since.
    """
    user = User.objects.select_for_update().filter(person_id=person_id, is_active=False).first()
    if user is None or User.objects.filter(left_q(), pk=user.pk).exists():
        return None
    last = _last_active_change(user)
    detail = (last.detail if last is not None else None) or {}
    if "deactivated" not in detail or detail.get("membership") != membership_id:
        return None  # disabled by an administrator, or re-enabled and disabled again since: theirs to decide
    before = _user_snapshot(user)
    user.is_active = True  # its API tokens stay ended (accounts.signals): new ones are issued if needed
    user.activated_at = timezone.now()  # a new idle period starts now, as when an administrator re-enables
    user.save(update_fields=["is_active", "activated_at"])
    record(
        "update",
        user,
        before=before,
        after=_user_snapshot(user),
        detail={"reactivated": _("人员已返回：%(reason)s") % {"reason": reason}, "undoes": last.pk},
    )
    return user
