"""Nothing before the second factor: an account that must give one reaches only enrolment, the code and logout.

Runs after django-otp's OTPMiddleware, which marks ``request.user.is_verified()`` from the session. The login
itself asks for the code before the session exists (views.LoginView); this catches the other ways a session
without the second factor comes about: an administrator not yet enrolled (their password opens a session
that can only enrol), a role that requires 2FA granted to a signed-in user, a reset enrolment.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .second_factor import authenticator_of, requires_second_factor


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
        ):
            target = "accounts:login_code" if authenticator_of(user) else "accounts:otp_enrol"
            url = reverse(target)
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            if getattr(request, "htmx", False):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return HttpResponseRedirect(url)
        return self.get_response(request)
