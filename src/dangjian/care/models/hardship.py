"""The hardship register (困难职工/困难党员帮扶台账) and the support given to each person; the reason is encrypted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy, ScopedSoftDeleteQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel, TimestampedModel
from dangjian.crypto.fields import SealedTextField


class HardshipEntry(SoftDeleteModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("职工"))
    registered_on = models.DateField(_("登记日期"))
    # Sensitive personal information (PIPL art. 28: health, finances): encrypted at rest like checkup values.
    reason = SealedTextField(_("困难情况"), context="care.hardshipentry.reason")
    closed_on = models.DateField(_("脱困日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AliveManager.from_queryset(ScopedSoftDeleteQuerySet)()
    all_objects = models.Manager.from_queryset(ScopedSoftDeleteQuerySet)()
    # Care covers every employee: the entry follows its person (the branch's members and its departments' staff).
    scoped_by = ScopedBy("care.view", person="person", reach=Reach.MEMBERS_AND_STAFF)

    class Meta:
        verbose_name = _("困难帮扶登记")
        verbose_name_plural = _("困难帮扶登记")
        ordering = ["-registered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.registered_on:%Y-%m-%d}）"


class SupportKind(models.TextChoices):
    CASH = "cash", _("困难补助金")
    GOODS = "goods", _("慰问品")
    VISIT = "visit", _("走访慰问")
    MEDICAL = "medical", _("医疗救助")
    EDUCATION = "education", _("助学")
    OTHER = "other", _("其他")


class Support(TimestampedModel):
    entry = models.ForeignKey(HardshipEntry, on_delete=models.PROTECT, related_name="supports")
    given_on = models.DateField(_("帮扶日期"))
    kind = models.CharField(_("帮扶方式"), max_length=20, choices=SupportKind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2, default=0)
    given_by = models.CharField(_("帮扶人/单位"), max_length=100)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = models.Manager.from_queryset(ScopedSoftDeleteQuerySet)()
    scoped_by = ScopedBy("care.view", person="entry__person", reach=Reach.MEMBERS_AND_STAFF)

    class Meta:
        verbose_name = _("帮扶记录")
        verbose_name_plural = _("帮扶记录")
        ordering = ["-given_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="care_support_amount_nonneg")]
