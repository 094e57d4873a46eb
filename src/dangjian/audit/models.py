from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("新建")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    IMPORT = "import", _("导入")
    EXPORT = "export", _("导出")
    VIEW_SENSITIVE = "view_sensitive", _("查看敏感信息")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    GRANT = "grant", _("授权")
    REVOKE = "revoke", _("撤销授权")
    BACKUP = "backup", _("备份")
    RESTORE = "restore", _("恢复")
    ARCHIVE = "archive", _("归档")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计记录只可追加，不可修改")

    def delete(self):
        raise PermissionError("审计记录只可追加，不可删除")


class AuditEvent(models.Model):
    """One append-only audit record, chained to the previous one by a keyed hash.

    ``digest`` = HMAC-SM3(key, previous digest ‖ canonical JSON of every other column, id included), see
    ``chain.py``; editing or removing a row breaks the chain at that row, and the key, held outside the database,
    is needed to re-chain. The id is the row's position in the chain, given under the head's lock.
    """

    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    channel = models.CharField("渠道", max_length=20, default="web")
    ip = models.CharField("地址", max_length=64, blank=True)
    request_id = models.CharField("请求编号", max_length=32, db_index=True)
    action = models.CharField("操作", max_length=20, choices=AuditAction.choices)
    object_type = models.CharField("对象类型", max_length=60, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    detail = models.JSONField("说明", null=True, blank=True)
    algorithm = models.CharField(max_length=16)
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-id"])]

    def __str__(self) -> str:
        at = timezone.localtime(self.at)
        return f"{at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:  # the id is set before the first save: it is the row's position in the chain
            raise PermissionError("审计记录只可追加，不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录只可追加，不可删除")

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
        return [(k, before.get(k), after.get(k)) for k in keys]


class AuditChainHead(models.Model):
    """A single row locked while appending, so concurrent writers cannot fork the chain.

    It names the last event (``position``, its id; ``digest``) and how many live rows there are (``count``), and
    where the live chain starts: ``genesis`` is the digest before the first live row (all zeros, or the last
    digest of the rows moved to an archive file), ``genesis_position`` that row's position. ``mac`` is an HMAC
    over all of them, so deleting the last rows and moving the head back is detected.
    """

    digest = models.CharField(max_length=64)
    position = models.BigIntegerField(default=0)
    count = models.BigIntegerField(default=0)
    genesis = models.CharField(max_length=64, default="0" * 64)
    genesis_position = models.BigIntegerField(default=0)
    algorithm = models.CharField(max_length=16, default="hmac-sm3")
    mac = models.CharField(max_length=64, blank=True)
