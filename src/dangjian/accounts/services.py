"""Account and role writes: sysadmin manages accounts, secadmin grants roles (三权分立)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.audit.services import record, snapshot

from .models import RoleAssignment, User

_USER_FIELDS = ("username", "first_name", "is_active", "person_id")


def _user_snapshot(user: User) -> dict:
    return {f: getattr(user, f) for f in _USER_FIELDS}  # never the password hash


def create_user(actor, username: str, password: str, first_name: str = "") -> User:
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, first_name=first_name)
        record("create", user, after=_user_snapshot(user))
    return user


def set_active(actor, user_id: int, active: bool) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        if user.pk == getattr(actor, "pk", None) and not active:
            raise ValidationError("不能停用自己的账号")
        before = _user_snapshot(user)
        user.is_active = active
        user.save(update_fields=["is_active"])
        record("update", user, before=before, after=_user_snapshot(user))
    return user


def reset_password(actor, user_id: int, password: str) -> None:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        user.set_password(password)
        user.save(update_fields=["password"])
        record("update", user, detail={"password_reset": True})


def grant(actor, data: dict) -> RoleAssignment:
    with transaction.atomic():
        assignment = RoleAssignment(granted_by=actor if getattr(actor, "pk", None) else None, **data)
        assignment.full_clean()
        if (
            RoleAssignment.objects.active()
            .filter(user=assignment.user, role=assignment.role, organization=assignment.organization)
            .exists()
        ):
            raise ValidationError("该用户已有相同的角色授权")
        assignment.save()
        record("grant", assignment, after=snapshot(assignment))
    return assignment


def revoke(actor, assignment_id: int) -> RoleAssignment:
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment_id, revoked_at__isnull=True)
        before = snapshot(assignment)
        assignment.revoked_at = timezone.now()
        assignment.save(update_fields=["revoked_at"])
        record("revoke", assignment, before=before, after=snapshot(assignment))
    return assignment


def unlock(actor, attempt) -> None:
    """Lift a lock-out before its cool-off ends: both the account's and the address's records."""
    from axes.utils import reset

    with transaction.atomic():
        reset(username=attempt.username)
        reset(ip=attempt.ip_address)
        record(
            "update",
            None,
            object_type_label="axes.accessattempt",
            object_repr=f"{attempt.username} @ {attempt.ip_address}",
            detail={"unlocked": True},
        )
