"""Lost-contact members (失联党员), 党员教育管理工作条例（2019）第24条.

One ``LostContact`` row per person tracks the case; ``last_contact_on``, ``suspended_on`` are kept by the
services so that the flags ("6 months without contact", "2 years since suspension") are plain indexed filters.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedQuerySet
from dangjian.core.models import TimestampedModel


class TrackingStatus(models.TextChoices):
    TRACKING = "tracking", _("查找联系中")
    SUSPENDED = "suspended", _("已停止党籍")
    REMOVED = "removed", _("已按自行脱党除名")
    CLOSED = "closed", _("已恢复联系")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("电话")
    MESSAGE = "message", _("短信/微信")
    VISIT = "visit", _("上门走访")
    LETTER = "letter", _("信函")
    RELATIVES = "relatives", _("通过亲属/单位")
    NOTICE = "notice", _("登报/公告寻找")
    REPORTED = "reported", _("登记时填报")
    OTHER = "other", _("其他")


class DecisionKind(models.TextChoices):
    SUSPEND = "suspend", _("停止党籍")
    REMOVE = "remove", _("按自行脱党除名")
    RESTORE = "restore", _("恢复党籍")


class LostContactQuerySet(ScopedQuerySet):
    pass


class LostContact(TimestampedModel):
    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="lost_contact", verbose_name=_("党员")
    )
    branch = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="lost_contacts", verbose_name=_("党支部")
    )
    status = models.CharField(_("状态"), max_length=12, choices=TrackingStatus.choices)
    opened_on = models.DateField(_("登记日期"))
    last_contact_on = models.DateField(_("最后联系上的日期"))
    suspended_on = models.DateField(_("停止党籍日期"), null=True, blank=True)
    removed_on = models.DateField(_("除名日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = LostContactQuerySet.as_manager()
    scoped_by = ScopedBy("transfers.view", organization="branch")

    class Meta:
        verbose_name = _("失联党员")
        verbose_name_plural = _("失联党员")
        ordering = ["last_contact_on", "id"]
        indexes = [
            models.Index(fields=["status", "last_contact_on"]),
            models.Index(fields=["status", "suspended_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_status_display()}）"


class ContactAttempt(TimestampedModel):
    """A contact made (reached) or tried (not reached), with date, method and note."""

    case = models.ForeignKey(LostContact, on_delete=models.PROTECT, related_name="contacts")
    on = models.DateField(_("日期"))
    method = models.CharField(_("方式"), max_length=12, choices=ContactMethod.choices)
    reached = models.BooleanField(_("是否联系上"), default=False)
    note = models.TextField(_("情况说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["-on", "-id"]


class Decision(TimestampedModel):
    case = models.ForeignKey(LostContact, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("决定"), max_length=10, choices=DecisionKind.choices)
    decided_on = models.DateField(_("决定日期"))
    decided_by = models.CharField(_("作出决定的组织"), max_length=100)
    document_ref = models.CharField(_("文件/会议记录编号"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("失联党员处置决定")
        verbose_name_plural = _("失联党员处置决定")
        ordering = ["decided_on", "id"]
