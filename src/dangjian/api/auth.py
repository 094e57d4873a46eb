from __future__ import annotations

from ninja.security import HttpBearer

from dangjian.accounts import tokens
from dangjian.core import context


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; an ended token (expired, revoked, password changed, account
    deactivated) is refused with 401."""

    def authenticate(self, request, token: str):
        row = tokens.authenticate(token)
        if row is None:
            return None
        request.user = row.user
        request.api_token = row
        context.set_user(row.user)
        return row.user
