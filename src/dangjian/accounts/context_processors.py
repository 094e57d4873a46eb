from __future__ import annotations

from . import hygiene


def password_warning(request) -> dict:
    """Days left before the password expires, once the warning period has begun (shown on every page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"password_days_left": hygiene.days_until_expiry(user)}
