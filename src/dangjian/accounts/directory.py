"""Sign-in with the institute's directory (LDAP / Active Directory), tried after the local accounts.

Issue 13 §1. Off unless ``DANGJIAN_LDAP_URL`` is set (``accounts.directory_config``). The directory only vouches for
the password; who the person is here comes from the roster. The entry's 工号 (``employeeNumber`` by default) or,
failing that, its ID number names a person on the roster, and the sign-in goes to that person's account:

- the person has an account: that account, never a second one;
- the person has none and is a current party member (on a branch's rolls, party rights not stopped): an account is
  opened as ``accounts.provisioning`` opens one, with the self-scoped ``member`` role only, linked to the person,
  audited, with no usable local password (the directory's password is the only one);
- no person matches (or the person is not a member): refused, "目录账号未对应到人员：请联系党委办公室核对工号".

An account that is not active (deactivated when the person left, ``accounts.departures``, or locked as dormant,
``accounts.hygiene``) stays refused. An account holding an administrator's role (系统管理员、安全管理员、安全审计员)
never signs in through the directory: 三权分立 (GB/T 22239-2019 8.1.4.2 c)-d)) keeps those accounts local, under
their own password and second factor, out of reach of whoever administers the directory.

A refusal is a failed login like a wrong password: django-axes counts it and ``accounts.signals`` audits it, with
the reason (``REFUSAL_ATTR`` on the request, which ``forms.LoginForm`` also shows). A successful sign-in is audited
as any login, marked as through the directory; the second factor and the lock-out apply as to local logins.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_auth_ldap.backend import LDAPBackend, ldap_error

from dangjian.audit.services import record

from . import hygiene
from .directory_config import REFUSAL_ATTR
from .models import RoleAssignment, User
from .provisioning import PROVISIONED_ROLE
from .roles import GLOBAL_ROLES

logger = logging.getLogger(__name__)


class Refused(Exception):
    """The directory accepted the password but this account may not sign in through it."""

    def __init__(self, code: str, message: str):
        super().__init__(code)
        self.code = code
        self.message = message


def unmatched() -> Refused:
    return Refused("unmatched", _("目录账号未对应到人员：请联系党委办公室核对工号"))


class DirectoryBackend(LDAPBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and hasattr(request, REFUSAL_ATTR):
            delattr(request, REFUSAL_ATTR)
        try:
            user = super().authenticate(request, username=username, password=password, **kwargs)
        except Refused as refused:
            logger.info("directory sign-in of %r refused: %s", username, refused.code)
            if request is not None:
                setattr(request, REFUSAL_ATTR, refused)
            return None
        if user is not None and hygiene.lock_if_dormant(user):
            return None
        return user

    def get_user(self, user_id):
        # django-auth-ldap returns any account; a session must end once its account is deactivated, as with
        # Django's own backend (ModelBackend.user_can_authenticate).
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def get_or_build_user(self, username, ldap_user):
        """The account of the person the entry names (see the module's note): never built unsaved here, so
        django-auth-ldap neither creates nor changes an account itself."""
        person = _person_of(ldap_user.attrs)
        if person is None:
            raise unmatched()
        user = User.objects.filter(person=person).first()
        if user is None:
            user = _open_account(person, username)
        _check_may_sign_in(user)
        _retire_local_password(user)
        return user, False


def _first(attrs, name: str) -> str:
    if not name:
        return ""
    values = attrs.get(name) or []
    return str(values[0]).strip() if values else ""


def _person_of(attrs):
    """The person on the roster (not deleted) whose 工号, else whose ID number, the entry carries."""
    from dangjian.people.models import Person

    employee_no = _first(attrs, settings.DANGJIAN_LDAP_EMPLOYEE_NO_ATTR)
    if employee_no:
        person = Person.objects.filter(employee_no=employee_no).first()
        if person is not None:
            return person
    id_number = _first(attrs, getattr(settings, "DANGJIAN_LDAP_ID_NUMBER_ATTR", "")).upper()
    if id_number:
        return Person.objects.filter(id_number=id_number).first()
    return None


def _check_may_sign_in(user: User) -> None:
    if user.is_superuser or RoleAssignment.objects.active().filter(user=user, role__in=GLOBAL_ROLES).exists():
        raise Refused(
            "administrator",
            _("管理员账号不能通过目录登录：请使用本地账号、密码和动态验证码登录（三权分立）"),
        )
    if not user.is_active:
        raise Refused("inactive", _("该账号已停用，不能通过目录登录：请联系系统管理员"))


def _is_current_member(person) -> bool:
    from dangjian.people.models import Membership

    # current() leaves out a member whose party rights are stopped (停止党籍) today, as provisioning does.
    return Membership.objects.current().filter(person=person).exists()


def _free_username(wanted: str) -> str:
    """The directory name if no account here has it (compared without case, as the account form does), else the
    name with the first free number after it."""
    base = (wanted or "").strip()[:140] or "user"
    taken = {u.lower() for u in User.objects.filter(username__istartswith=base).values_list("username", flat=True)}
    name, k = base, 1
    while name.lower() in taken:
        k += 1
        name = f"{base}{k}"
    return name


def _open_account(person, username: str) -> User:
    """A member's account for a person without one: the ``member`` role only, linked, no local password."""
    if not _is_current_member(person):
        raise Refused("not_member", _("目录账号对应的人员不是在册党员，不能自动开通账号：请联系党委办公室"))
    now = timezone.now()
    try:
        with transaction.atomic():
            user = User(username=_free_username(username), first_name=person.name[:150], person=person)
            user.set_unusable_password()
            user.save()
            grant = RoleAssignment.objects.create(
                user=user, role=PROVISIONED_ROLE, organization=None, granted_by=None, granted_at=now
            )
            record(
                "create",
                user,
                after={
                    "username": user.username,
                    "first_name": user.first_name,
                    "is_active": True,
                    "person_id": person.pk,
                    "must_change_password": False,
                },
                detail={
                    "provisioned": True,
                    "directory": True,
                    "role": str(PROVISIONED_ROLE),
                    "role_assignment_id": grant.pk,
                },
            )
    except IntegrityError:
        # A second sign-in of the same person opened it meanwhile: use that one.
        user = User.objects.filter(person=person).first()
        if user is None:  # the name was taken meanwhile
            raise Refused("conflict", _("账号正在开通，请稍后再登录一次")) from None
    return user


def _retire_local_password(user: User) -> None:
    """A local password its holder would first have to change (a one-time password never used, or an expired one)
    is withdrawn: the directory's password is theirs, and a forgotten local one must not stop them at the change
    page or stay valid as a second way in. Audited."""
    if not user.has_usable_password() or not hygiene.must_change_password(user):
        return
    with transaction.atomic():
        user.set_unusable_password()
        user.must_change_password = False
        user.password_changed_at = None
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        record(
            "update",
            user,
            before={"must_change_password": True},
            after={"must_change_password": False},
            detail={"directory": True, "local_password": _("本地密码已停用：该账号通过目录登录")},
        )


def _note_unreachable(sender, context, user, request=None, exception=None, **kwargs):
    """The directory could not be asked (down, refused the service account): say so rather than blame the password."""
    if context in {"authenticate", "search_for_user_dn"} and request is not None and sender is DirectoryBackend:
        logger.warning("directory unreachable: %s", exception)
        setattr(
            request,
            REFUSAL_ATTR,
            Refused("unreachable", _("目录服务暂时无法连接，请稍后再试，或使用本地账号登录")),
        )


def _reset_failures_of_the_directory_name(sender, request, user, **kwargs):
    """django-axes clears the failures of the account's own name after a login; the name typed may be another
    (the directory's ``zhangsan`` signing into ``12345xzs``), whose failures would otherwise keep counting until
    they age out. A login completed by a second factor loads the account afresh and leaves them to age out."""
    typed = getattr(user, "ldap_username", None)
    if typed and typed.lower() != user.get_username().lower() and settings.AXES_RESET_ON_SUCCESS:
        from axes.utils import reset

        reset(username=typed)


ldap_error.connect(_note_unreachable, dispatch_uid="dangjian.accounts.directory.unreachable")
user_logged_in.connect(_reset_failures_of_the_directory_name, dispatch_uid="dangjian.accounts.directory.reset")
