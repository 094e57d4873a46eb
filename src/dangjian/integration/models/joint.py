"""支部共建 with partner organisations outside the tree, and 联席 (a leader sitting with a grassroots unit)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy
from dangjian.core.models import AliveManager, SoftDeleteModel, TimestampedModel

from .base import Attached, IntegrationQuerySet

VIEW = "integration.view"


class PartnerKind(models.TextChoices):
    CUSTOMER = "customer", _("客户单位")
    SUPPLIER = "supplier", _("供应商")
    UNIVERSITY = "university", _("高校院所")
    COMMUNITY = "community", _("地方社区")
    GOVERNMENT = "government", _("政府机关")
    OTHER = "other", _("其他")


class Partner(SoftDeleteModel):
    """An organisation outside the party tree (共建单位); registered by the organisation that builds with it."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="partners", verbose_name=_("登记党组织")
    )
    name = models.CharField(_("单位名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=PartnerKind.choices, default=PartnerKind.OTHER)
    party_organization = models.CharField(_("对方党组织"), max_length=200, blank=True)
    contact = models.CharField(_("联系人"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)

    objects = AliveManager.from_queryset(IntegrationQuerySet)()
    scoped_by = ScopedBy(VIEW, organization="organization")

    class Meta:
        verbose_name = _("共建单位")
        verbose_name_plural = _("共建单位")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class JointBuilding(Attached):
    """A joint-building agreement (共建协议) of a branch with a partner, around the innovation chain."""

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("共建单位")
    )
    title = models.CharField(_("共建协议"), max_length=200)
    content = models.TextField(_("共建内容"))

    objects = AliveManager.from_queryset(IntegrationQuerySet)()
    scoped_by = ScopedBy(VIEW, organization="organization")

    class Meta:
        verbose_name = _("支部共建")
        verbose_name_plural = _("支部共建")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return self.title


class JointActivity(TimestampedModel):
    joint_building = models.ForeignKey(
        JointBuilding, on_delete=models.PROTECT, related_name="activities", verbose_name=_("支部共建")
    )
    held_on = models.DateField(_("活动日期"))
    title = models.CharField(_("活动名称"), max_length=200)
    content = models.TextField(_("活动内容"))
    results = models.TextField(_("取得成效"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("共建活动")
        verbose_name_plural = _("共建活动")
        ordering = ["joint_building", "-held_on", "pk"]


class LeaderLiaison(SoftDeleteModel):
    """所领导与基层单位"联席": a meeting of an institute leader with a grassroots unit, its decisions and follow-up."""

    leader = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="liaisons", verbose_name=_("所领导")
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="liaisons", verbose_name=_("基层党组织")
    )
    held_on = models.DateField(_("联席日期"))
    topics = models.TextField(_("议题"))
    decisions = models.TextField(_("议定事项"), blank=True)
    follow_up = models.TextField(_("跟进落实"), blank=True)
    follow_up_due = models.DateField(_("落实期限"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("落实日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AliveManager.from_queryset(IntegrationQuerySet)()
    scoped_by = ScopedBy(VIEW, organization="organization", own="leader")

    class Meta:
        verbose_name = _("联席")
        verbose_name_plural = _("联席")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.leader} · {self.organization} {self.held_on}"
