"""党员突击队 and 党员攻关团队: formed for a named key task, with a roster, progress reports and a disbanding."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy
from dangjian.core.models import AliveManager, TimestampedModel

from .base import Attached, IntegrationQuerySet

VIEW = "integration.view"


class TaskforceKind(models.TextChoices):
    COMMANDO = "commando", _("党员突击队")
    TACKLING = "tackling", _("党员攻关团队")


class TaskforceStatus(models.TextChoices):
    ACTIVE = "active", _("在编")
    DISBANDED = "disbanded", _("已解散")


class Taskforce(Attached):
    kind = models.CharField(_("类型"), max_length=20, choices=TaskforceKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    mission = models.TextField(_("任务目标"))
    notice_no = models.CharField(_("组建通知文号"), max_length=60, blank=True)
    flag_presented_on = models.DateField(_("授旗日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=TaskforceStatus.choices, default=TaskforceStatus.ACTIVE)
    summary = models.TextField(_("工作总结"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AliveManager.from_queryset(IntegrationQuerySet)()
    scoped_by = ScopedBy(VIEW, organization="organization", own="roster__person")

    class Meta:
        verbose_name = _("突击队/攻关团队")
        verbose_name_plural = _("突击队/攻关团队")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return self.name


class TaskforceRole(models.TextChoices):
    CAPTAIN = "captain", _("队长")
    VICE_CAPTAIN = "vice_captain", _("副队长")
    MEMBER = "member", _("队员")


class TaskforceMember(TimestampedModel):
    """One person on a taskforce's roster: a member, an activist or a non-member employee."""

    taskforce = models.ForeignKey(Taskforce, on_delete=models.PROTECT, related_name="roster", verbose_name=_("队伍"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="taskforce_places", verbose_name=_("人员")
    )
    role = models.CharField(_("职务"), max_length=20, choices=TaskforceRole.choices, default=TaskforceRole.MEMBER)
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("离队日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("队员")
        verbose_name_plural = _("队员")
        ordering = ["taskforce", "role", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["taskforce", "person"],
                condition=models.Q(left_on__isnull=True),
                name="integration_taskforce_member_once",
            )
        ]


class TaskforceReport(TimestampedModel):
    """A progress report, usually made at a committee meeting (``meeting``)."""

    taskforce = models.ForeignKey(Taskforce, on_delete=models.PROTECT, related_name="reports", verbose_name=_("队伍"))
    reported_on = models.DateField(_("汇报日期"))
    content = models.TextField(_("进展情况"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("汇报会议"),
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("进展汇报")
        verbose_name_plural = _("进展汇报")
        ordering = ["taskforce", "-reported_on", "pk"]
