from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dangjian.core.forms import apply_errors
from dangjian.core.scoping import require_perm

from . import services
from .forms import AssignmentForm, LoginForm, PasswordResetForm, UserCreateForm
from .models import RoleAssignment, User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_perm("accounts.manage")
def user_list(request: HttpRequest) -> HttpResponse:
    qs = User.objects.order_by("username")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(first_name__icontains=q))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/users.html", {"page": page, "q": q, "querystring_base": f"q={q}&" if q else ""})


@require_perm("accounts.manage")
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.create_user(request.user, **form.cleaned_data)
        messages.success(request, f"已创建账号 {user.username}；请由安全管理员授予角色")
        return redirect("accounts:users")
    return render(request, "core/form.html", {"form": form, "title": "新建账号", "cancel_url": "/accounts/users/"})


@require_POST
@require_perm("accounts.manage")
def user_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    try:
        services.set_active(request.user, user.pk, not user.is_active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("accounts:users")


@require_perm("accounts.manage")
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = PasswordResetForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.reset_password(request.user, user.pk, form.cleaned_data["password"])
        messages.success(request, f"已重置 {user.username} 的密码")
        return redirect("accounts:users")
    return render(
        request,
        "core/form.html",
        {"form": form, "title": f"重置 {user.username} 的密码", "cancel_url": "/accounts/users/"},
    )


@require_perm("accounts.assign_roles")
def assignment_list(request: HttpRequest) -> HttpResponse:
    qs = RoleAssignment.objects.active().select_related("user", "organization").order_by("user__username", "role")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(user__username__icontains=q) | Q(organization__name__icontains=q))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/assignments.html",
        {"page": page, "q": q, "querystring_base": f"q={q}&" if q else ""},
    )


@require_perm("accounts.assign_roles")
def assignment_create(request: HttpRequest) -> HttpResponse:
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已授予角色")
            return redirect("accounts:assignments")
    return render(
        request, "core/form.html", {"form": form, "title": "授予角色", "cancel_url": "/accounts/assignments/"}
    )


@require_POST
@require_perm("accounts.assign_roles")
def assignment_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment, pk=pk, revoked_at__isnull=True)
    services.revoke(request.user, assignment.pk)
    messages.success(request, "已撤销授权")
    return redirect("accounts:assignments")


@require_perm("accounts.policy")
def security_policy(request: HttpRequest) -> HttpResponse:
    """The security administrator's view of the policy in force and of current lock-outs."""
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    cooloff: timedelta = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60)
    locked = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=timezone.now() - cooloff
    ).order_by("-attempt_time")[:200]
    policy = [
        ("密码长度", f"不少于 {_validator_option('min_length', 8)} 位"),
        ("密码复杂度", f"大写、小写、数字、符号中至少 {_validator_option('min_classes', 3)} 类；拒绝常见弱口令"),
        ("密码存储", "Argon2 哈希"),
        (
            "登录失败锁定",
            f"连续失败 {settings.AXES_FAILURE_LIMIT} 次，按账号和按地址分别锁定 {minutes} 分钟",
        ),
        ("会话空闲超时", f"{settings.SESSION_COOKIE_AGE // 60} 分钟"),
        ("审计日志防篡改", f"哈希链（{settings.AUDIT_HASH_ALGORITHM.upper()}）"),
        ("运行模式", "生产模式" if settings.PRODUCTION else "内置模式（SQLite，仅供试用与演示）"),
    ]
    return render(request, "accounts/policy.html", {"policy": policy, "locked": locked})


def _validator_option(name: str, default: int) -> int:
    from django.conf import settings

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
    messages.success(request, f"已解除锁定：{attempt.username or attempt.ip_address}")
    return redirect("accounts:policy")
