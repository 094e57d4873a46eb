"""A login half done: the password was right, the one-time code is still to come.

Kept in the anonymous session, never as a logged-in session: until the code is right the account is not
signed in, nothing marks it as having logged in, and django-axes has not reset its failure count (it does so
only on a completed login), so failed codes add up with failed passwords toward the lock-out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.http import HttpRequest

from .models import User

SESSION_KEY = "dangjian_second_factor_pending"
# Long enough to unlock a phone and open the app; a stale half-login must start again from the password.
MAX_AGE_SECONDS = 300


@dataclass(frozen=True)
class PendingLogin:
    user: User
    backend: str
    next_url: str


def start(request: HttpRequest, user: User, next_url: str) -> None:
    # A new session key: a key planted before the password was typed is worth nothing afterwards.
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,  # type: ignore[attr-defined]  # set by authenticate()
        "next": next_url,
        "at": time.time(),
    }


def current(request: HttpRequest) -> PendingLogin | None:
    data = request.session.get(SESSION_KEY)
    if not data or time.time() - data.get("at", 0) > MAX_AGE_SECONDS:
        return None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        return None
    return PendingLogin(user=user, backend=data["backend"], next_url=data["next"])


def clear(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
