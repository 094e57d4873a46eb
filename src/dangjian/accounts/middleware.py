"""A one-time or expired password must be changed before anything else (等保 三级, GB/T 22239 8.1.4.1 b)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import hygiene

# The change page itself, leaving, and what those pages need to render.
_ALLOWED_NAMES = {"accounts:password_change", "accounts:logout", "set_language"}
_ALLOWED_PREFIXES = ("/static/", "/favicon", "/api/")  # the API authenticates by token, checked there


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and hygiene.must_change_password(user)
            and not self._allowed(request)
        ):
            target = reverse("accounts:password_change")
            if getattr(request, "htmx", False):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _allowed(request: HttpRequest) -> bool:
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in _ALLOWED_NAMES
