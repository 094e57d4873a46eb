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
    # A refused one-time code arrives here too (second_factor.verify), naming the factor it tried.
    factor = credentials.get("second_factor")
    record(
        "login_failed",
        None,
        object_type_label="accounts.user",
        object_repr=str(credentials.get("username", ""))[:150],
        detail={"second_factor": factor} if factor else None,
    )
