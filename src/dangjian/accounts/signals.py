from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from dangjian.audit.services import record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record("login", user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record("logout", user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    record(
        "login_failed",
        None,
        object_type_label="accounts.user",
        object_repr=str(credentials.get("username", ""))[:150],
    )
