from __future__ import annotations

from django.utils import timezone
from ninja.security import HttpBearer

from dangjian.accounts.models import ApiToken
from dangjian.core import context


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; expired tokens and inactive users are refused."""

    def authenticate(self, request, token: str):
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), expires_at__gt=timezone.now(), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        context.set_user(row.user)
        return row.user
