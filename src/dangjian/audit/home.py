"""The auditor's home page: the security events of the last days — lock-outs (django-axes), role grants and
revocations, refused second-factor codes — each linked to the audit log filtered to it. Constant queries: the
first few of each kind and, when there are more, one count."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm
from dangjian.core.contributions import HomeItem, listed

from .models import AuditEvent

DAYS = 7
SHOWN = 5
LOCKOUTS = gettext_lazy("账号锁定（近7天）")
GRANTS = gettext_lazy("角色授权变更（近7天）")
SECOND_FACTOR = gettext_lazy("动态口令验证失败（近7天）")
QUIET = gettext_lazy("安全事件（近7天）")
ORDER = 70
ROLE_ASSIGNMENT = "accounts.roleassignment"


def _log(**params) -> str:
    return reverse("audit:log") + "?" + urlencode({k: v for k, v in params.items() if v})


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%m-%d %H:%M}"


def home_items(user, today: date) -> list[HomeItem]:
    if not has_perm(user, "audit.view"):
        return []
    since = timezone.now() - timedelta(days=DAYS)
    events = [*_lockouts(since), *_grants(since), *_second_factor(since)]
    if events:
        return events
    # said, not left blank: an empty page would not tell a quiet week from a home that does not look
    link = reverse("audit:log")
    return [
        HomeItem(
            "info", QUIET, _("近7天没有账号锁定、角色授权变更或动态口令验证失败"), link, "audit", more=link, order=ORDER
        )
    ]


def _first(qs, kind, level, link_of, text_of, more, rest) -> list[HomeItem]:
    rows = list(qs[:SHOWN])
    items = [HomeItem(level, kind, text_of(r), link_of(r), "audit", more=more, order=ORDER) for r in rows]
    total = len(rows) if len(rows) < SHOWN else qs.count()
    return listed(items, total, text=rest, level=level)


def _lockouts(since) -> list[HomeItem]:
    """Accounts or addresses that reached the failure limit (django-axes keeps the attempt until a good login)."""
    from axes.models import AccessAttempt

    qs = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
    more = _log(action="login_failed")

    def text(row) -> str:
        username, ip, failures, at = row
        values = {"who": username or ip, "ip": ip or "-", "n": failures, "at": _when(at)}
        return _("%(at)s %(who)s 连续登录失败 %(n)d 次被锁定（地址 %(ip)s）") % values

    return _first(
        qs.values_list("username", "ip_address", "failures_since_start", "attempt_time"),
        LOCKOUTS,
        "late",
        lambda row: _log(action="login_failed", object=row[0]),
        text,
        more,
        gettext_lazy("另有%(n)d次锁定"),
    )


def _grants(since) -> list[HomeItem]:
    qs = AuditEvent.objects.filter(action__in=["grant", "revoke"], object_type=ROLE_ASSIGNMENT, at__gte=since).order_by(
        "-id"
    )
    more = _log(object_type=ROLE_ASSIGNMENT)

    def text(row) -> str:
        action, actor, what, at = row
        values = {"at": _when(at), "actor": actor or "-", "what": what}
        if action == "grant":
            return _("%(at)s %(actor)s 授予：%(what)s") % values
        return _("%(at)s %(actor)s 撤销：%(what)s") % values

    return _first(
        qs.values_list("action", "actor_name", "object_repr", "at"),
        GRANTS,
        "info",
        lambda row: _log(object_type=ROLE_ASSIGNMENT, object=row[2]),
        text,
        more,
        gettext_lazy("另有%(n)d次授权变更"),
    )


def _second_factor(since) -> list[HomeItem]:
    """Refused one-time codes: the failed-login rows that name the factor they tried (accounts.signals)."""
    qs = AuditEvent.objects.filter(action="login_failed", detail__has_key="second_factor", at__gte=since).order_by(
        "-id"
    )
    more = _log(action="login_failed")

    def text(row) -> str:
        who, ip, at = row
        values = {"at": _when(at), "who": who or "-", "ip": ip}
        if not ip:
            return _("%(at)s %(who)s 动态口令验证失败") % values
        return _("%(at)s %(who)s 动态口令验证失败（地址 %(ip)s）") % values

    return _first(
        qs.values_list("object_repr", "ip", "at"),
        SECOND_FACTOR,
        "due",
        lambda row: _log(action="login_failed", object=row[0]),
        text,
        more,
        gettext_lazy("另有%(n)d次动态口令验证失败"),
    )
