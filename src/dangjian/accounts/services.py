"""Account and role writes: sysadmin manages accounts, secadmin grants roles (三权分立).

The separation rules live in ``separation`` and are checked here, inside each transaction, so
every channel (pages, the API, console commands) obeys them. A refusal raises
``separation.Refused`` (a PermissionDenied) with the reason in Chinese.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, snapshot

from . import hygiene, separation
from .models import RoleAssignment, User

_USER_FIELDS = ("username", "first_name", "is_active", "person_id", "must_change_password")


def _user_snapshot(user: User) -> dict:
    return {f: getattr(user, f) for f in _USER_FIELDS}  # never the password hash


def _actor(actor):
    """The acting account, or None for the operator at the console."""
    return actor if getattr(actor, "pk", None) else None


def create_user(actor, username: str, password: str, first_name: str = "", person=None) -> User:
    """A new account holds no role yet. Its first password was chosen by the system administrator, so
    the holder must replace it at the first login (the administrator must not keep knowing it)."""
    with transaction.atomic():
        if person is not None:
            _check_person_free(person, None)
        user = User.objects.create_user(
            username=username,
            password=password,
            first_name=first_name,
            person=person,
            must_change_password=_actor(actor) is not None,
        )
        record("create", user, after=_user_snapshot(user))
    return user


def link_person(actor, user_id: int, person) -> User:
    """Tie an account to the person it belongs to (``person`` None unties it); never an administrator's account,
    and one person has at most one account (the account is how the person acts: two would split their record)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        separation.require(_actor(actor), "accounts.manage")
        separation.check_person_link(user, person)
        if person is not None:
            _check_person_free(person, user.pk)
        elif user.person_id is None:
            raise ValidationError(_("该账号未关联人员"))
        before = _user_snapshot(user)
        user.person = person
        user.save(update_fields=["person"])
        detail = {"person": person.name} if person is not None else {"unlinked": True}
        record("update", user, before=before, after=_user_snapshot(user), detail=detail)
    return user


def _check_person_free(person, user_pk: int | None) -> None:
    """The person is on the roster and has no other account. Read inside the caller's transaction; the
    one-to-one column still refuses the second of two concurrent links."""
    from dangjian.people.models import Person

    deleted = list(Person.all_objects.filter(pk=person.pk).values_list("deleted_at", flat=True))
    if deleted != [None]:
        raise ValidationError({"person": _("该人员已被删除，不能关联账号")})
    holders = User.objects.filter(person_id=person.pk)
    if user_pk is not None:  # an existing account may keep its own person
        holders = holders.exclude(pk=user_pk)
    holder = holders.values_list("username", flat=True).first()
    if holder is not None:
        raise ValidationError(
            {
                "person": _("%(name)s 已关联账号 %(username)s：一名人员只能关联一个账号")
                % {"name": person.name, "username": holder}
            }
        )


def set_active(actor, user_id: int, active: bool) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        if user.pk == getattr(actor, "pk", None) and not active:
            raise ValidationError(_("不能停用自己的账号"))
        before = _user_snapshot(user)
        user.is_active = active
        fields = ["is_active"]
        if active and not before["is_active"]:
            # Re-enabled (e.g. after the dormant-account lock): a new idle period starts now.
            user.activated_at = timezone.now()
            fields.append("activated_at")
        user.save(update_fields=fields)
        record("update", user, before=before, after=_user_snapshot(user))
    return user


_OTP_ALPHABETS = (
    "ABCDEFGHJKLMNPQRSTUVWXYZ",  # no I, O: read aloud or copied by hand without confusion
    "abcdefghijkmnpqrstuvwxyz",
    "23456789",
    "@#%+=?",
)


def one_time_password(length: int = 12) -> str:
    """A random password that satisfies the password policy (every character class present)."""
    while True:
        chars = [secrets.choice(alphabet) for alphabet in _OTP_ALPHABETS]
        pool = "".join(_OTP_ALPHABETS)
        chars += [secrets.choice(pool) for _ in range(length - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        candidate = "".join(chars)
        try:
            validate_password(candidate)
        except ValidationError:  # pragma: no cover - only a word the common-password list happens to hold
            continue
        return candidate


def _set_one_time_password(user: User, channel_detail: dict) -> str:
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record("update", user, detail={"password_reset": True, "one_time": True, **channel_detail})
    return password


def reset_password(actor, user_id: int) -> str:
    """An administrator's reset of an ordinary account: a one-time password, shown once to the
    administrator, which the holder must change at the next login. Administrators' passwords are
    never reset from the web (separation.check_password_reset)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        separation.check_password_reset(_actor(actor), user)
        return _set_one_time_password(user, {})


def break_glass_reset(username: str) -> str:
    """The console's reset (``dangjian reset-admin-password``), for an administrator who lost the
    password: whoever runs it has the server, which no web administrator has. Audited as such."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(username=username)
        return _set_one_time_password(user, {"break_glass": True, "admin_roles": separation.admin_roles_of(user)})


def change_own_password(user: User, new_password: str) -> User:
    """The holder chooses a new password (voluntarily, after a reset, or because it expired)."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.check_password(new_password):
            raise ValidationError({"new_password1": _("新密码不能与当前密码相同")})
        reason = (
            "one_time"
            if locked.must_change_password
            else "expired"
            if hygiene.password_expired(locked)
            else "voluntary"
        )
        locked.set_password(new_password)
        locked.must_change_password = False
        locked.save(update_fields=["password", "must_change_password"])
        record("update", locked, detail={"password_changed": True, "reason": reason})
    user.password, user.password_changed_at, user.must_change_password = (
        locked.password,
        locked.password_changed_at,
        False,
    )
    return user


def grant(actor, data: dict) -> RoleAssignment:
    actor = _actor(actor)
    with transaction.atomic():
        assignment = RoleAssignment(granted_by=actor, **data)
        assignment.full_clean()
        # Lock the account so two concurrent grants cannot both pass the exclusivity checks.
        user = User.objects.select_for_update().get(pk=assignment.user_id)
        separation.check_grant(actor, user, assignment.role)
        if (
            RoleAssignment.objects.active()
            .filter(user=assignment.user, role=assignment.role, organization=assignment.organization)
            .exists()
        ):
            raise ValidationError(_("该用户已有相同的角色授权"))
        assignment.save()
        record("grant", assignment, after=snapshot(assignment))
    return assignment


def revoke(actor, assignment_id: int) -> RoleAssignment:
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment_id, revoked_at__isnull=True)
        # Holders of the same role are locked too: two revocations must not both find "another holder".
        list(RoleAssignment.objects.active().select_for_update().filter(role=assignment.role).values_list("pk"))
        separation.check_revoke(_actor(actor), assignment)
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
