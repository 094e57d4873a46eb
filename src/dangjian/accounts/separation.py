"""三权分立: the rules every role grant, revocation, person link and password reset obeys.

GB/T 22239-2019 (等保 2.0) 三级, 8.1.4.2 c)-d) and 8.1.10.6: the system, security and audit
administrators are separate people with separate accounts, each holding only the powers of its
role. The services call these checks inside their transaction, so the web form, the API and any
script are held to the same rules. ``actor`` None is the operator at the server's console (the
``createadmin`` and ``reset-admin-password`` commands), who installs the first administrators.

Who may grant an administrator role (decided here, and why):
- the security administrator grants 系统管理员 and 安全审计员, and only to a fresh account: one with
  no active role and no person link — an administrator's account is a separate, dedicated account;
- nobody grants 安全管理员 from the web or the API, the security administrator included: one who
  could would create a peer with the same powers, or hand them to an account the system
  administrator created (and so knows the first password of), merging the two powers. A new
  security administrator is installed at the console (``dangjian createadmin --role secadmin``);
- nobody grants or revokes their own roles, and the last holder of each administrator role keeps
  it, so that each of the three powers always has someone to exercise it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import RoleAssignment, User
from .roles import GLOBAL_ROLES, Role
from .scope import has_perm


class Refused(PermissionDenied):
    """A request the separation of powers forbids; its message says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _label(role: str) -> str:
    return str(Role(role).label)


def admin_roles_of(user: User) -> list[str]:
    return sorted(
        RoleAssignment.objects.active().filter(user=user, role__in=GLOBAL_ROLES).values_list("role", flat=True)
    )


def require(actor, perm: str) -> None:
    if actor is not None and not has_perm(actor, perm):
        raise Refused(_("您没有执行该操作的权限"))


def check_grant(actor, user: User, role: str) -> None:
    require(actor, "accounts.assign_roles")
    if actor is not None and actor.pk == user.pk:
        raise Refused(_("不能给自己授予角色：三权分立要求授权由他人进行"))
    held = list(RoleAssignment.objects.active().filter(user=user).values_list("role", flat=True))
    held_admin = sorted(r for r in held if r in GLOBAL_ROLES)
    if role == Role.SECADMIN and actor is not None:
        raise Refused(
            _(
                "安全管理员角色不能在网页或接口上授予：新的安全管理员由运维人员在服务器上用 "
                "dangjian createadmin --role secadmin 创建"
            )
        )
    if role in GLOBAL_ROLES:
        if user.person_id:
            raise Refused(
                _("管理员账号不得关联人员：担任管理员的党员应另建一个专用的管理员账号，其本人账号保持普通角色")
            )
        if held_admin:
            raise Refused(
                _("系统管理员、安全管理员、安全审计员三个角色互斥：该账号已是%(role)s")
                % {"role": _label(held_admin[0])}
            )
        if held:
            raise Refused(
                _("管理员账号不得持有业务角色：该账号已有“%(role)s”角色，请为管理员另建账号")
                % {"role": _label(sorted(held)[0])}
            )
    elif held_admin:
        raise Refused(_("业务角色只能授予不持有管理员角色的账号：该账号是%(role)s") % {"role": _label(held_admin[0])})


def check_revoke(actor, assignment: RoleAssignment) -> None:
    require(actor, "accounts.assign_roles")
    if actor is not None and actor.pk == assignment.user_id:
        raise Refused(_("不能撤销自己的角色：三权分立要求授权由他人进行"))
    if assignment.role in GLOBAL_ROLES:
        others = (
            RoleAssignment.objects.active()
            .filter(role=assignment.role, user__is_active=True)
            .exclude(pk=assignment.pk)
            .exists()
        )
        if not others:
            raise Refused(
                _("不能撤销最后一名%(role)s的角色：三权须始终各有其人，请先为他人授予该角色")
                % {"role": _label(assignment.role)}
            )


def check_person_link(user: User, person) -> None:
    if person is not None and admin_roles_of(user):
        raise Refused(_("管理员账号不得关联人员：担任管理员的党员应另建一个专用的管理员账号，其本人账号保持普通角色"))


def check_password_reset(actor, target: User) -> None:
    """The web reset is for ordinary accounts; an administrator's goes through the console (break-glass)."""
    require(actor, "accounts.manage")
    if actor is not None and actor.pk == target.pk:
        raise Refused(_("请在“修改密码”页面修改自己的密码"))
    held = admin_roles_of(target)
    if actor is not None and held:
        raise Refused(
            _(
                "不能在网页上重置%(role)s的密码：三权分立下管理员不能掌握其他管理员的口令。"
                "确需重置时，由运维人员在服务器上运行 dangjian reset-admin-password %(username)s（记入审计日志）"
            )
            % {"role": _label(held[0]), "username": target.username}
        )


def violations(user: User) -> list[str]:
    """What an existing account breaks of the rules above (none for a well-formed account)."""
    roles = sorted(set(RoleAssignment.objects.active().filter(user=user).values_list("role", flat=True)))
    admin = [r for r in roles if r in GLOBAL_ROLES]
    found = []
    if len(admin) > 1:
        found.append(_("同时持有多个管理员角色：%(roles)s") % {"roles": "、".join(_label(r) for r in admin)})
    if admin and len(roles) > len(admin):
        found.append(_("管理员账号持有业务角色"))
    if admin and user.person_id:
        found.append(_("管理员账号关联了人员"))
    return found
