from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import require_perm

from .. import departures, hygiene, pending, second_factor, separation, services
from ..forms import AssignmentForm, CodeForm, EnrolForm, LoginForm, OwnPasswordForm, UserCreateForm
from ..models import RoleAssignment, User


class LoginView(auth_views.LoginView):
    """The password first; an enrolled account that must give a second factor then goes to the code page,
    and no session is opened until the code is right (views: login_code)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from ..directory_config import BACKEND

        # Directory sign-in (accounts.directory), when configured: the page says the directory's password works.
        return {**super().get_context_data(**kwargs), "directory_sign_in": BACKEND in settings.AUTHENTICATION_BACKENDS}

    def form_valid(self, form):
        user = form.get_user()
        if second_factor.requires_second_factor(user) and second_factor.authenticator_of(user):
            pending.start(self.request, user, self.get_success_url())
            return redirect("accounts:login_code")
        return super().form_valid(form)


# The list's "关联人员" filter: accounts to link (administrators' accounts are never linked, so not among them) and
# accounts whose person has left (departures.left_q), which the administrators decide on.
LINK_FILTERS = {"none": departures.unlinked_q, "left": departures.left_q}


@require_perm("accounts.manage")
def user_list(request: HttpRequest) -> HttpResponse:
    qs = User.objects.select_related("person__department").order_by("username")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(person__name__contains=q)
            | Q(person__employee_no__in={q, q.upper()})
        )
    link = request.GET.get("link", "")
    if link in LINK_FILTERS:
        qs = qs.filter(LINK_FILTERS[link]())
    page = paginate(request, qs, 50, keep={"q": q, "link": link if link in LINK_FILTERS else ""})
    branches = _current_branches([u.person_id for u in page.object_list if u.person_id])
    left = set(
        User.objects.filter(departures.left_q(), pk__in=[u.pk for u in page.object_list]).values_list("pk", flat=True)
    )
    rows = [(u, branches.get(u.person_id), u.pk in left) for u in page.object_list]
    return render(request, "accounts/users.html", {"page": page, "rows": rows, "q": q, "link": link})


def _current_branches(person_ids: list[int]) -> dict[int, str]:
    """Each person's branch (current membership): one query for the page."""
    from dangjian.people.models import Membership

    rows = Membership.objects.current().filter(person_id__in=person_ids).values_list("person_id", "organization__name")
    return dict(rows)


@require_perm("accounts.manage")
def user_create(request: HttpRequest) -> HttpResponse:
    from .linking import person_picker, preset

    people, search = person_picker(request)
    form = UserCreateForm(request.POST or None, people=people, initial=preset(request, people))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已创建账号 %(username)s；请由安全管理员授予角色") % {"username": user.username}
            )
            return redirect("accounts:users")
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("新建账号"), "search": search, "cancel_url": "/accounts/users/"},
    )


@require_POST
@require_perm("accounts.manage")
def user_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        services.set_active(request.user, user.pk, not user.is_active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("accounts:users")


@never_cache
@require_perm("accounts.manage")
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset an ordinary account's password to a one-time password, shown on this response only."""
    user = get_object_or_404(User, pk=pk)
    try:
        separation.check_password_reset(request.user, user)
    except separation.Refused as exc:
        messages.error(request, exc.message)
        return redirect("accounts:users")
    if request.method == "POST":
        try:
            password = services.reset_password(request.user, user.pk)
        except separation.Refused as exc:
            messages.error(request, exc.message)
            return redirect("accounts:users")
        # Rendered, not redirected: the password is never stored in a message or the session.
        return render(request, "accounts/one_time_password.html", {"target": user, "password": password})
    return render(request, "accounts/password_reset_confirm.html", {"target": user})


@never_cache
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Every user changes their own password here; the only page open while a change is required."""
    user = request.user
    if not user.has_usable_password():
        # Opened by a directory sign-in (accounts.directory): the directory's password is the only one.
        reason = _("该账号通过单位目录（LDAP / AD）登录，没有本地密码：请在单位目录中修改密码。")
        return render(request, "accounts/password_change.html", {"form": None, "reason": reason})
    form = OwnPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(user, form.cleaned_data["new_password1"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            update_session_auth_hash(request, user)  # this session stays signed in
            messages.success(request, _("密码已修改"))
            return redirect("core:home")
    if user.must_change_password:
        reason = _("您的密码是管理员设置的一次性密码或初始密码，请先设置自己的新密码，然后才能继续使用。")
    elif hygiene.password_expired(user):
        reason = _("您的密码已超过 %(days)s 天未修改，已过期：请设置新密码后继续使用。") % {
            "days": settings.PASSWORD_MAX_AGE_DAYS
        }
    else:
        reason = ""
    return render(request, "accounts/password_change.html", {"form": form, "reason": reason})


@require_perm("accounts.assign_roles")
def assignment_list(request: HttpRequest) -> HttpResponse:
    qs = RoleAssignment.objects.active().select_related("user", "organization").order_by("user__username", "role")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(user__username__icontains=q) | Q(organization__name__icontains=q))
    page = paginate(request, qs, 50, keep={"q": q})
    return render(
        request,
        "accounts/assignments.html",
        {"page": page, "q": q},
    )


@require_perm("accounts.assign_roles")
def assignment_create(request: HttpRequest) -> HttpResponse:
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant(request.user, form.cleaned_data)
        except separation.Refused as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已授予角色"))
            return redirect("accounts:assignments")
    return render(
        request, "core/form.html", {"form": form, "title": _("授予角色"), "cancel_url": "/accounts/assignments/"}
    )


@require_POST
@require_perm("accounts.assign_roles")
def assignment_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment, pk=pk, revoked_at__isnull=True)
    try:
        services.revoke(request.user, assignment.pk)
    except separation.Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤销授权"))
    return redirect("accounts:assignments")


@require_perm("accounts.policy")
def security_policy(request: HttpRequest) -> HttpResponse:
    """The security administrator's view of the policy in force and of current lock-outs."""
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    cooloff: timedelta = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60)
    locked = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=timezone.now() - cooloff
    ).order_by("-attempt_time")[:200]
    policy = [
        (_("密码长度"), _("不少于 %(n)s 位") % {"n": _validator_option("min_length", 8)}),
        (
            _("密码复杂度"),
            _("大写、小写、数字、符号中至少 %(n)s 类；拒绝常见弱口令") % {"n": _validator_option("min_classes", 3)},
        ),
        (_("密码存储"), _("Argon2 哈希")),
        (
            _("登录失败锁定"),
            _("连续失败 %(limit)s 次，按账号和按地址分别锁定 %(minutes)s 分钟")
            % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        ),
        (_("会话空闲超时"), _("%(minutes)s 分钟") % {"minutes": settings.SESSION_COOKIE_AGE // 60}),
        (_("双因素登录"), _second_factor_policy()),
        (_("密码有效期"), _password_age_text()),
        (_("长期未用账号"), _dormant_text()),
        (_("目录登录"), _directory_text()),
        (_("审计日志防篡改"), _("哈希链（%(algorithm)s）") % {"algorithm": settings.AUDIT_HASH_ALGORITHM.upper()}),
        (_("运行模式"), _("生产模式") if settings.PRODUCTION else _("内置模式（SQLite，仅供试用与演示）")),
    ]
    return render(request, "accounts/policy.html", {"policy": policy, "locked": locked})


def _second_factor_policy() -> str:
    from ..roles import Role

    roles = [str(Role(r).label) for r in settings.DANGJIAN_2FA_ROLES if r in Role.values]
    if not roles:
        return gettext("未启用")
    return gettext("%(roles)s：密码 + 动态验证码（TOTP，RFC 6238）或一次性恢复码") % {"roles": "、".join(roles)}


def _password_age_text() -> str:
    if not settings.PASSWORD_MAX_AGE_DAYS:
        return _("不限（DANGJIAN_PASSWORD_MAX_AGE_DAYS=0）")
    return _("%(days)s 天，到期前 %(warn)s 天起提醒，过期后须先修改密码") % {
        "days": settings.PASSWORD_MAX_AGE_DAYS,
        "warn": settings.PASSWORD_WARN_DAYS,
    }


def _dormant_text() -> str:
    if not settings.INACTIVE_LOCK_DAYS:
        return _("不锁定（DANGJIAN_INACTIVE_LOCK_DAYS=0）")
    return _("%(days)s 天未使用即停用，由系统管理员重新启用") % {"days": settings.INACTIVE_LOCK_DAYS}


def _directory_text() -> str:
    """Whether people may sign in with the institute's directory (accounts.directory) and against which server."""
    from ..directory_config import BACKEND

    if BACKEND not in settings.AUTHENTICATION_BACKENDS:
        return _("未启用（DANGJIAN_LDAP_URL 未设置）")
    return _("已启用：%(url)s，按工号或身份证号对应到人员；管理员账号不能通过目录登录") % {
        "url": settings.AUTH_LDAP_SERVER_URI
    }


def _validator_option(name: str, default: int) -> int:
    for v in settings.AUTH_PASSWORD_VALIDATORS:
        if name in v.get("OPTIONS", {}):
            return v["OPTIONS"][name]
    return default


@require_POST
@require_perm("accounts.policy")
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    from axes.models import AccessAttempt

    attempt = get_object_or_404(AccessAttempt, pk=pk)
    services.unlock(request.user, attempt)
    messages.success(request, _("已解除锁定：%(who)s") % {"who": attempt.username or attempt.ip_address})
    return redirect("accounts:policy")


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    from django.conf import settings
    from django.utils.http import url_has_allowed_host_and_scheme

    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _locked_out(request: HttpRequest, username: str) -> bool:
    """django-axes' verdict for this account and address; a locked one gets its lock-out page (429)."""
    from axes.handlers.proxy import AxesProxyHandler

    credentials = {"username": username}
    if AxesProxyHandler.is_allowed(request, credentials):
        return False
    request.axes_locked_out = True  # type: ignore[attr-defined]  # AxesMiddleware answers with the lock-out page
    request.axes_credentials = credentials  # type: ignore[attr-defined]
    return True


def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of the login: the authenticator's code (or a recovery code) in the field ``otp``.

    Serves the half-done login (password right, no session yet) and a signed-in session that still lacks
    its second factor (sent here by SecondFactorMiddleware).
    """
    from django.contrib.auth import login as auth_login
    from django_otp import login as otp_login

    half = pending.current(request)
    if request.user.is_authenticated:
        user, next_url = request.user, _safe_next(request, request.GET.get("next"))
        if request.user.is_verified() or second_factor.authenticator_of(user) is None:  # type: ignore[union-attr]
            return redirect(next_url)
    elif half is not None:
        user, next_url = half.user, _safe_next(request, half.next_url)
    else:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _locked_out(request, user.get_username()):
            pending.clear(request)
            return HttpResponse(status=429)
        try:
            device = second_factor.verify(request, user, form.cleaned_data["otp"])
        except second_factor.CodeRefused as refused:
            form.add_error("otp", refused.message)
        else:
            if not request.user.is_authenticated:
                auth_login(request, user, backend=half.backend)  # type: ignore[union-attr]
            otp_login(request, device)
            pending.clear(request)
            return redirect(next_url)
    return render(request, "accounts/login_code.html", {"form": form, "username": user.get_username()})


@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Enrolment: the QR code and the base32 secret, then the first code confirms; recovery codes shown once."""
    from django_otp import login as otp_login

    user = request.user
    next_url = _safe_next(request, request.GET.get("next"))
    if not second_factor.requires_second_factor(user) or second_factor.authenticator_of(user):
        return redirect(next_url)
    # The secret waits in the session until confirmed, so reloading the page keeps the QR code just scanned.
    secret = request.session.get(_ENROL_SECRET_KEY)
    if not secret:
        secret = request.session[_ENROL_SECRET_KEY] = second_factor.new_secret()
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = second_factor.enrol(user, secret, form.cleaned_data["otp"])
        except ValidationError as exc:
            form.add_error("otp", exc)
        else:
            del request.session[_ENROL_SECRET_KEY]
            otp_login(request, device)
            # Rendered, not redirected to: the recovery codes exist in clear only in this one response.
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next_url": next_url})
    uri = second_factor.provisioning_uri(user, secret)
    context = {
        "form": form,
        "qr": _qr_svg(uri),
        # In groups of four, as authenticator apps print and accept it, for typing by hand.
        "secret": " ".join(re.findall(".{1,4}", second_factor.base32_of(secret))),
    }
    return render(request, "accounts/enrol.html", context)


_ENROL_SECRET_KEY = "dangjian_second_factor_enrol_secret"


def _qr_svg(data: str):
    """Drawn on the server (nothing leaves the intranet), inline SVG without style attributes (strict CSP)."""
    import segno
    from django.utils.safestring import mark_safe

    code = segno.make(data, error="m", micro=False)
    # segno escapes the title; the rest is its own path data, so marking it safe is sound.
    svg = code.svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff", title=gettext("动态口令二维码"))
    return mark_safe(svg)  # noqa: S308


@require_perm("accounts.policy")
def otp_devices(request: HttpRequest) -> HttpResponse:
    """The security administrator's list of enrolled accounts, each with a reset."""
    from django.db.models import Count
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    qs = TOTPDevice.objects.filter(confirmed=True).select_related("user").order_by("user__username")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(user__username__icontains=q) | Q(user__first_name__icontains=q))
    page = paginate(request, qs, 50, keep={"q": q})
    left = dict(
        StaticToken.objects.filter(device__user__in=[d.user_id for d in page.object_list])
        .values_list("device__user")
        .annotate(n=Count("id"))
    )
    rows = [(d, left.get(d.user_id, 0)) for d in page.object_list]
    return render(
        request,
        "accounts/second_factor.html",
        {"page": page, "rows": rows, "q": q},
    )


@require_POST
@require_perm("accounts.policy")
def otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    second_factor.reset(request.user, user.pk)
    message = gettext("已重置 %(username)s 的动态口令，该账号下次访问时须重新绑定") % {"username": user.username}
    messages.success(request, message)
    return redirect("accounts:otp_devices")
