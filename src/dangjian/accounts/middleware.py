"""What a session must settle before anything else.

SecondFactorMiddleware — nothing before the second factor: an account that must give one reaches only
enrolment, the code and logout.

Runs after django-otp's OTPMiddleware, which marks ``request.user.is_verified()`` from the session. The login
itself asks for the code before the session exists (views.LoginView); this catches the other ways a session
without the second factor comes about: an administrator not yet enrolled (their password opens a session
that can only enrol), a role that requires 2FA granted to a signed-in user, a reset enrolment.

PasswordChangeRequiredMiddleware — a one-time or expired password must be changed before anything else
(等保 三级, GB/T 22239 8.1.4.1 b).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from . import hygiene
from .second_factor import authenticator_of, requires_second_factor


def _send_to(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect; an htmx request would swap the target page into a fragment, so it is told to navigate instead."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


@cache
def _open_paths() -> frozenset[str]:
    names = ("accounts:otp_enrol", "accounts:login_code", "accounts:logout", "set_language", "favicon")
    return frozenset(reverse(name) for name in names)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and request.path_info not in _open_paths()
            and requires_second_factor(user)
            # a one-time or expired password is changed first (PasswordChangeRequiredMiddleware): an authenticator
            # is enrolled under the holder's own password, never under one an administrator handed out
            and not hygiene.must_change_password(user)
        ):
            target = "accounts:login_code" if authenticator_of(user) else "accounts:otp_enrol"
            url = reverse(target)
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            return _send_to(request, url)
        return self.get_response(request)


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
            return _send_to(request, reverse("accounts:password_change"))
        return self.get_response(request)

    @staticmethod
    def _allowed(request: HttpRequest) -> bool:
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in _ALLOWED_NAMES
