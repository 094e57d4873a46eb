from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy, ScopedSoftDeleteQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel

from .account import CATEGORY_CHOICES, DuesAccount


class BaseSource(models.TextChoices):
    MANUAL = "manual", _("手工录入")
    IMPORT = "import", _("工资表导入")


class BaseManager(AliveManager.from_queryset(ScopedSoftDeleteQuerySet)):  # type: ignore[misc]
    pass


class DuesBase(SoftDeleteModel):
    """Category and monthly base in force from ``month`` (first day) until the next row.

    "工资调整后，从领取新工资的当月起按新基数交纳": a pay change is a new row from the month the new pay is received.
    """

    account = models.ForeignKey(DuesAccount, on_delete=models.PROTECT, related_name="bases")
    month = models.DateField(_("起始月份"))
    category = models.CharField(_("党费类别"), max_length=20, choices=CATEGORY_CHOICES)
    monthly_base = models.DecimalField(_("月缴费基数（税后固定工资）"), max_digits=12, decimal_places=2)
    source = models.CharField(_("来源"), max_length=10, choices=BaseSource.choices, default=BaseSource.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = BaseManager()
    all_objects = models.Manager.from_queryset(ScopedSoftDeleteQuerySet)()
    scoped_by = ScopedBy("dues.view", person="account__person", reach=Reach.CURRENT_MEMBERS)

    class Meta:
        verbose_name = _("党费基数")
        verbose_name_plural = _("党费基数")
        ordering = ["account", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "month"], condition=Q(deleted_at__isnull=True), name="one_dues_base_per_month"
            ),
            models.CheckConstraint(condition=Q(monthly_base__gte=0), name="dues_base_not_negative"),
        ]
        indexes = [models.Index(fields=["account", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_category_display()} {self.monthly_base}"
