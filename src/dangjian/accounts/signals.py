from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import pre_save
from django.dispatch import receiver

from dangjian.audit.services import record

from .directory_config import BACKEND, REFUSAL_ATTR


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    from django.contrib.auth import BACKEND_SESSION_KEY

    through_directory = request is not None and request.session.get(BACKEND_SESSION_KEY) == BACKEND
    record("login", user, detail={"directory": True} if through_directory else None)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        from . import tokens

        record("logout", user)
        tokens.end_all(user, "logout")


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # A refused one-time code arrives here too (second_factor.verify), naming the factor it tried.
    factor = credentials.get("second_factor")
    detail = {"second_factor": factor} if factor else {}
    # The directory accepted the password but refused the account here (accounts.directory): the reason.
    refused = getattr(request, REFUSAL_ATTR, None)
    if refused is not None:
        detail["directory"] = refused.code
        detail["reason"] = str(refused.message)
    record(
        "login_failed",
        None,
        object_type_label="accounts.user",
        object_repr=str(credentials.get("username", ""))[:150],
        detail=detail or None,
    )


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def end_tokens_with_password_or_account(sender, instance, update_fields=None, raw=False, **kwargs):
    """A new password or a deactivated account ends every API token, whichever code path saved the user.

    The password tag alone already refuses tokens after a password change (even one written past the model);
    marking them ended here keeps the token page and the audit log truthful. Deactivation has no such tag, so
    this is what keeps a reactivated account from getting its old tokens back.
    """
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return
    old = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if old is None:
        return
    from . import tokens

    if old["is_active"] and not instance.is_active:
        tokens.end_all(instance, "deactivated")
    elif old["password"] != instance.password:
        tokens.end_all(instance, "password")
