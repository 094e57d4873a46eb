"""Honours a person received (表彰奖励): a simple register, counted by the in-party statistics (党内表彰 table) and
listed in the roster, until the honours work has its own app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy, ScopedSoftDeleteQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("全国（中央）")
    PROVINCIAL = "provincial", _("省部级")
    GROUP = "group", _("集团（院）级")
    INSTITUTE = "institute", _("所（公司）级")
    OTHER = "other", _("其他")


class HonourKind(models.TextChoices):
    """Whether the honour is the party's own (the statistics count 党内表彰) or another (先进工作者, 科技奖励)."""

    PARTY = "party", _("党内表彰")
    OTHER = "other", _("其他表彰奖励")


class HonourQuerySet(ScopedSoftDeleteQuerySet):
    pass


class HonourManager(AliveManager.from_queryset(HonourQuerySet)):  # type: ignore[misc]
    pass


class Honour(SoftDeleteModel):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="honours", verbose_name=_("获得者")
    )
    title = models.CharField(_("荣誉名称"), max_length=100)  # 优秀共产党员, 优秀党务工作者, 先进工作者
    kind = models.CharField(_("类别"), max_length=10, choices=HonourKind.choices, default=HonourKind.PARTY)
    level = models.CharField(_("级别"), max_length=20, choices=HonourLevel.choices)
    awarded_on = models.DateField(_("授予日期"))
    issuer = models.CharField(_("授予单位"), max_length=100)
    note = models.CharField(_("备注"), max_length=200, blank=True, default="")

    objects = HonourManager()
    all_objects = models.Manager.from_queryset(HonourQuerySet)()
    scoped_by = ScopedBy("people.view", person="person", reach=Reach.MEMBERS_AND_STAFF)

    class Meta:
        verbose_name = _("表彰奖励")
        verbose_name_plural = _("表彰奖励")
        ordering = ["-awarded_on", "-id"]
        indexes = [models.Index(fields=["person", "awarded_on"]), models.Index(fields=["awarded_on"])]

    def __str__(self) -> str:
        return f"{self.person} {self.title}"
