"""The administrators' home page: what waits for the system administrator (accounts that should be linked to a
person) and for the security administrator (locked accounts, the second factor not yet enrolled, accounts waiting
for a role). Each list is the first few and a count, in a constant number of queries; none shows business data."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm
from dangjian.core.contributions import HomeItem, listed

from .models import RoleAssignment, User
from .roles import GLOBAL_ROLES, Role

SHOWN = 5
NO_PERSON = gettext_lazy("未关联人员的账号")
LOCKED = gettext_lazy("已锁定的账号")
ENROL = gettext_lazy("未绑定动态口令")
NO_ROLE = gettext_lazy("待授权的账号")
# The office works as an office, not as a person: its accounts are not expected to be linked (issue 13 §1 links
# the members' and officers' accounts); the three administrators' accounts are never linked.
UNLINKED_ROLES = {*GLOBAL_ROLES, Role.OFFICE}


def home_items(user, today: date) -> list[HomeItem]:
    out: list[HomeItem] = []
    if has_perm(user, "accounts.manage"):
        out += _without_person()
    if has_perm(user, "accounts.policy"):
        out += _locked()
        out += _not_enrolled()
    if has_perm(user, "accounts.assign_roles"):
        out += _without_role()
    return out


def _active(role_q: Q) -> Exists:
    return Exists(RoleAssignment.objects.active().filter(role_q, user=OuterRef("pk")))


def _lines(qs, kind, level: str, order: int, link_of, text_of, more: str, rest) -> list[HomeItem]:
    """The first ``SHOWN`` rows and one line for the rest: two queries."""
    rows = list(qs[:SHOWN])
    items = [HomeItem(level, kind, text_of(r), link_of(r), "accounts", more=more, order=order) for r in rows]
    total = len(rows) if len(rows) < SHOWN else qs.count()
    return listed(items, total, text=rest, level=level)


def _users_link(username: str) -> str:
    return reverse("accounts:users") + "?" + urlencode({"q": username})


def _without_person() -> list[HomeItem]:
    """Active accounts holding a role that works on one's own record or as a person (a member, a secretary, a
    leader, an officer) with no person linked: a member's account without a person sees nothing of their own."""
    qs = (
        User.objects.filter(is_active=True, person__isnull=True)
        .filter(_active(~Q(role__in=UNLINKED_ROLES)))
        .exclude(_active(Q(role__in=GLOBAL_ROLES)))
        .order_by("username")
    )
    return _lines(
        qs.values_list("username", flat=True),
        NO_PERSON,
        "due",
        60,
        _users_link,
        lambda name: _("%(user)s：未关联人员") % {"user": name},
        reverse("accounts:users"),
        gettext_lazy("另有%(n)d个账号未关联人员"),
    )


def _locked() -> list[HomeItem]:
    """Accounts or addresses django-axes holds locked now (as the security policy page lists them)."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    qs = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
    more = reverse("accounts:policy")

    def text(row) -> str:
        username, ip, at = row
        values = {"who": username or ip, "at": f"{timezone.localtime(at):%m-%d %H:%M}"}
        return _("%(who)s：登录失败次数过多已锁定（%(at)s）") % values

    return _lines(
        qs.values_list("username", "ip_address", "attempt_time"),
        LOCKED,
        "late",
        61,
        lambda row: more,
        text,
        more,
        gettext_lazy("另有%(n)d个账号或地址已锁定"),
    )


def _not_enrolled() -> list[HomeItem]:
    """Active accounts holding a role that must give a second factor (DANGJIAN_2FA_ROLES) and have not enrolled:
    until they do, their next login stops at the enrolment page."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    roles = list(settings.DANGJIAN_2FA_ROLES)
    if not roles:
        return []
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    qs = (
        User.objects.filter(is_active=True)
        .filter(_active(Q(role__in=roles)))
        .exclude(Exists(enrolled))
        .order_by("username")
    )
    return _lines(
        qs.values_list("username", flat=True),
        ENROL,
        "due",
        62,
        lambda name: reverse("accounts:otp_devices"),
        lambda name: _("%(user)s：须绑定动态口令，尚未绑定") % {"user": name},
        reverse("accounts:otp_devices"),
        gettext_lazy("另有%(n)d个账号尚未绑定动态口令"),
    )


def _without_role() -> list[HomeItem]:
    """Active accounts that hold no role: created by the system administrator, waiting for the security
    administrator's grant (三权分立: the one who creates an account does not grant it a role)."""
    qs = User.objects.filter(is_active=True).exclude(_active(Q())).order_by("username")
    more = reverse("accounts:assignment_create")
    return _lines(
        qs.values_list("username", flat=True),
        NO_ROLE,
        "due",
        63,
        lambda name: more,
        lambda name: _("%(user)s：尚未授予角色") % {"user": name},
        reverse("accounts:assignments"),
        gettext_lazy("另有%(n)d个账号尚未授予角色"),
    )
