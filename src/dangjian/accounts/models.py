from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from .roles import GLOBAL_ROLES, SELF_ROLES, Role


class User(AbstractUser):
    person = models.OneToOneField(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
        verbose_name="对应职工",
    )
    is_demo = models.BooleanField("演示账号", default=False, editable=False)
    # 等保 三级 (GB/T 22239 8.1.4.1 b): passwords are changed periodically; the age is counted from here.
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True, editable=False)
    # Set by an administrator's reset (a one-time password) and on accounts the system administrator creates:
    # the holder can do nothing but choose a new password (see accounts.middleware).
    must_change_password = models.BooleanField("下次登录须修改密码", default=False, editable=False)
    # When the account was last (re)enabled: a dormant account a sysadmin re-enables starts a new idle period.
    activated_at = models.DateTimeField("启用时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def set_password(self, raw_password):
        # Every path that changes a password comes through here (forms, services, createsuperuser,
        # changepassword, the demo loader), so the password's age is always right.
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()
        self._password_changed_at_dirty = True

    def check_password(self, raw_password):
        def rehash(raw):
            # A hash upgrade (new Argon2 parameters) keeps the same password: its age does not restart.
            AbstractBaseUser.set_password(self, raw)
            self._password = None
            self.save(update_fields=["password"])

        return check_password(raw_password, self.password, rehash)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if (
            update_fields is not None
            and "password" in update_fields
            and getattr(self, "_password_changed_at_dirty", False)
        ):
            kwargs["update_fields"] = {*update_fields, "password_changed_at"}
        super().save(*args, **kwargs)
        self._password_changed_at_dirty = False


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class RoleAssignment(models.Model):
    """A user holds a role over an organisation (and, by default, its subtree)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="范围",
    )
    subtree = models.BooleanField("含下级组织", default=True)
    granted_at = models.DateTimeField("授予时间", default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        where = self.organization.name if self.organization_id else "全局"
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self) -> None:
        if self.role in GLOBAL_ROLES and self.organization_id:
            raise ValidationError({"organization": _("系统管理、安全管理、审计角色不限定组织范围")})
        if self.role not in GLOBAL_ROLES | SELF_ROLES and not self.organization_id:
            raise ValidationError({"organization": _("该角色必须指定组织范围")})


class ApiTokenQuerySet(models.QuerySet):
    def unended(self):
        """Neither revoked nor expired (the password and the account are checked per row: ``ApiToken.is_live``)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """Bearer token for the JSON API. Only a hash is stored.

    Like a Django session, a token is bound to the password it was issued under: ``password_tag`` is a keyed hash
    of the user's password hash at issue, so any change of password, by any path (even an UPDATE past the model),
    ends every token. Deactivating the account, logging out of the web and revoking set ``revoked_at``.
    """

    class EndReason(models.TextChoices):
        REVOKED = "revoked", _("用户撤销")
        LOGOUT = "logout", _("退出登录")
        PASSWORD = "password", _("密码已更改")
        DEACTIVATED = "deactivated", _("账号已停用")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    password_tag = models.CharField(max_length=64, default="")
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=20, choices=EndReason.choices, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.user} 的接口令牌 #{self.pk}"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def password_tag_of(user) -> str:
        """A keyed hash of the password hash, as Django's ``get_session_auth_hash`` is for sessions."""
        return salted_hmac(_PASSWORD_TAG_SALT, user.password, algorithm="sha256").hexdigest()

    def is_live(self) -> bool:
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and self.user.is_active
            and bool(self.password_tag)
            and constant_time_compare(self.password_tag, self.password_tag_of(self.user))
        )

    @classmethod
    def issue(cls, user) -> str:
        """Create a token and return it; the caller shows it once (``tokens.issue`` also audits)."""
        raw = secrets.token_urlsafe(32)
        cls.objects.create(
            user=user,
            digest=cls.digest_of(raw),
            password_tag=cls.password_tag_of(user),
            expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
        )
        return raw


_PASSWORD_TAG_SALT = "dangjian.accounts.ApiToken.password_tag"
