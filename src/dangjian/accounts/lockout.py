"""What a locked-out client sees (django-axes ``AXES_LOCKOUT_CALLABLE``): the JSON API answers JSON, pages a page.

Both answer 429 Too Many Requests (RFC 6585).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return _("登录失败次数过多，该账号或地址已锁定 %(minutes)d 分钟，请稍后再试") % {"minutes": lockout_minutes()}


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=429, json_dumps_params={"ensure_ascii": False})
    return render(request, "accounts/locked_out.html", {"minutes": lockout_minutes()}, status=429)
