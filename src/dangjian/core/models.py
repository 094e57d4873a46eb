"""Base models shared by the domain apps: timestamps and soft delete."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class TimestampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def delete(self):  # noqa: D401 - guard
        raise PermissionError("记录不可物理删除，请使用停用/注销")


class AliveManager(models.Manager.from_queryset(SoftDeleteQuerySet)):  # type: ignore[misc]
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeleteModel(TimestampedModel):
    """Users never hard-delete: a deleted row keeps who deleted it and when."""

    deleted_at = models.DateTimeField("删除时间", null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def mark_deleted(self, user=None) -> None:
        self.deleted_at = timezone.now()
        self.deleted_by = user if getattr(user, "pk", None) else None

    def delete(self, *args, **kwargs):
        raise PermissionError("记录不可物理删除，请使用停用/注销")


# registered with the app here (a model is found in its app's models module); it lives in the module named for it
from .document_numbers import DocumentNumber  # noqa: E402, F401
