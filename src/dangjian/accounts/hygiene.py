"""Account hygiene for 等保 三级 (GB/T 22239-2019 8.1.4.1 b: passwords are changed periodically;
8.1.4.2 b-c: dormant and expired accounts are found and disabled).

- A password expires ``DANGJIAN_PASSWORD_MAX_AGE_DAYS`` (default 90) after it was set; from
  ``DANGJIAN_PASSWORD_WARN_DAYS`` (default 14) before that, every page warns; once expired, the
  holder can do nothing but change it (accounts.middleware).
- An account unused for ``DANGJIAN_INACTIVE_LOCK_DAYS`` (default 90) is locked (``is_active``
  False): at its next login attempt, and by ``dangjian lock-inactive-accounts``, run daily.
  "Used" is the last login, the last use of an API token, or failing both when the account was
  created or last re-enabled. A system administrator re-enables a locked account; it then has a new
  idle period.

0 turns either rule off (a deployment that delegates them to a central directory).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dangjian.audit.services import record

from .models import User


def password_expires_at(user: User) -> datetime | None:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or user.password_changed_at is None:
        return None
    return user.password_changed_at + timedelta(days=days)


def password_expired(user: User) -> bool:
    expires = password_expires_at(user)
    return expires is not None and expires <= timezone.now()


def days_until_expiry(user: User) -> int | None:
    """Whole days left when the warning period has begun; None before it (and when no rule applies)."""
    expires = password_expires_at(user)
    if expires is None:
        return None
    left = expires - timezone.now()
    if left > timedelta(days=settings.PASSWORD_WARN_DAYS):
        return None
    return max(0, left.days)


def must_change_password(user: User) -> bool:
    return bool(user.must_change_password) or password_expired(user)


def last_used_at(user: User) -> datetime:
    token_use = user.api_tokens.aggregate(last=Max("last_used_at"))["last"]
    moments = [m for m in (user.last_login, token_use, user.activated_at, user.date_joined) if m is not None]
    return max(moments)


def is_dormant(user: User) -> bool:
    days = settings.INACTIVE_LOCK_DAYS
    if not days or not user.is_active:
        return False
    return last_used_at(user) <= timezone.now() - timedelta(days=days)


def lock_if_dormant(user: User) -> bool:
    """Lock the account when it has not been used for the configured period; True when it was locked now."""
    if not is_dormant(user):
        return False
    with transaction.atomic():
        locked = User.objects.filter(pk=user.pk, is_active=True).update(is_active=False)
        if not locked:
            return False
        # the update above skips User.save(), which is where deactivation ends tokens: end them here, so that a
        # re-enabled account gets none of them back
        from .tokens import end_all

        end_all(user, "deactivated")
        record(
            "update",
            user,
            before={"is_active": True},
            after={"is_active": False},
            detail={
                "locked": "inactive",
                "last_used_at": last_used_at(user).isoformat(),
                "inactive_lock_days": settings.INACTIVE_LOCK_DAYS,
            },
        )
    user.is_active = False
    return True


def lock_dormant_accounts() -> list[str]:
    """Lock every dormant account; the usernames locked."""
    if not settings.INACTIVE_LOCK_DAYS:
        return []
    cutoff = timezone.now() - timedelta(days=settings.INACTIVE_LOCK_DAYS)
    # A cheap first cut (not logged in since the cutoff), then the full rule per candidate.
    candidates = User.objects.filter(is_active=True, date_joined__lte=cutoff).exclude(last_login__gt=cutoff)
    return [user.username for user in candidates.order_by("username") if lock_if_dormant(user)]
