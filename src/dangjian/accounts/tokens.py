"""API tokens: issue, check, revoke and end them; every issue and every end is an audit event.

A token lives while its account is active, its password unchanged (``ApiToken.password_tag``), it is not expired
and nobody ended it. Web logout ends all of the user's tokens: "log out" means every credential the person holds
stops working, the way a password change does (issue 10 §3) — a provisioning script then asks for a new token.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dangjian.audit.services import record

from .models import ApiToken

_SNAPSHOT_FIELDS = ("user_id", "created_at", "expires_at", "revoked_at", "end_reason")


def _snapshot(token: ApiToken) -> dict:
    # never the digest nor the password tag
    return {f: getattr(token, f) for f in _SNAPSHOT_FIELDS}


def issue(user) -> tuple[str, ApiToken]:
    """A new token for a user who has just proved their password; the raw value is returned once, never stored."""
    with transaction.atomic():
        raw = ApiToken.issue(user)
        token = ApiToken.objects.get(digest=ApiToken.digest_of(raw))
        record("create", token, after=_snapshot(token))
    return raw, token


def authenticate(raw: str) -> ApiToken | None:
    """The live token with this value, its use noted; None for an unknown or ended one."""
    token = ApiToken.objects.select_related("user").unended().filter(digest=ApiToken.digest_of(raw)).first()
    if token is None or not token.is_live():
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def revoke(actor, token_id: int) -> ApiToken:
    """The user ends one of their own tokens (the API's ``auth/revoke`` or the token page)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id, user=actor, revoked_at__isnull=True)
        _end(token, ApiToken.EndReason.REVOKED)
    return token


def end_all(user, reason: str) -> int:
    """End every unended token of the user (logout, password change, deactivation)."""
    with transaction.atomic():
        tokens = list(ApiToken.objects.select_for_update().unended().filter(user=user))
        for token in tokens:
            _end(token, reason)
    return len(tokens)


def _end(token: ApiToken, reason: str) -> None:
    before = _snapshot(token)
    token.revoked_at = timezone.now()
    token.end_reason = reason
    token.save(update_fields=["revoked_at", "end_reason"])
    record("revoke", token, before=before, after=_snapshot(token), detail={"reason": reason})


def listed_for(user) -> list[ApiToken]:
    """The user's tokens that still work, newest first, for the token page."""
    tokens = ApiToken.objects.select_related("user").unended().filter(user=user).order_by("-created_at", "-pk")
    return [t for t in tokens if t.is_live()]
