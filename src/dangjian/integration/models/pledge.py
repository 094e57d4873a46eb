"""亮身份、守承诺、作表率: a member's yearly pledge, reviewed by the branch, published, and its fulfilment (践诺)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy
from dangjian.core.models import AliveManager

from .base import Attached, IntegrationQuerySet

VIEW = "integration.view"


class PledgeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已公示")
    RETURNED = "returned", _("已退回")


class Fulfilment(models.TextChoices):
    FULFILLED = "fulfilled", _("已践诺")
    PARTLY = "partly", _("部分践诺")
    UNFULFILLED = "unfulfilled", _("未践诺")


class Pledge(Attached):
    """``starts_on``/``ends_on`` span the pledge's year; ``project`` or ``stage`` the work it is made on."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="pledges", verbose_name=_("党员")
    )
    year = models.PositiveIntegerField(_("年度"))
    promise = models.TextField(_("承诺内容"))
    status = models.CharField(_("状态"), max_length=20, choices=PledgeStatus.choices, default=PledgeStatus.DRAFT)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("审核意见"), blank=True)
    fulfilment = models.CharField(_("践诺情况"), max_length=20, choices=Fulfilment.choices, blank=True)
    fulfilment_note = models.TextField(_("践诺评价"), blank=True)
    fulfilment_on = models.DateField(_("践诺评议日期"), null=True, blank=True)
    fulfilment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AliveManager.from_queryset(IntegrationQuerySet)()
    # the branch's officers see their members' pledges; a member sees their own
    scoped_by = ScopedBy(VIEW, organization="organization", own="person")

    class Meta:
        verbose_name = _("党员承诺")
        verbose_name_plural = _("党员承诺")
        ordering = ["-year", "organization", "person__sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                condition=models.Q(deleted_at__isnull=True),
                name="integration_pledge_once_a_year",
            )
        ]
        indexes = [models.Index(fields=["year", "organization"], name="integration_pledge_year")]

    def __str__(self) -> str:
        return f"{self.person} {self.year}"
