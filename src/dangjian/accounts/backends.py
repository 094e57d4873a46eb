"""The login backend: Django's, plus the dormant-account lock of 等保 三级 (see accounts.hygiene)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from . import hygiene


class AccountBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        # Checked once the password is right, so nobody locks another's account by typing its name.
        if user is not None and hygiene.lock_if_dormant(user):
            return None
        return user
