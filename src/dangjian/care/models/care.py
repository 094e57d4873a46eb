"""Care rules (五必问/五必谈/五必访), the events that trigger them and the obligations they create.

No national list exists; every organisation publishes its own, so the lines are rows the committee office
edits, their terms versioned in the rule store (every edit a new version, audited), shipped with the defaults by
a data migration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy, ScopedSoftDeleteQuerySet
from dangjian.care.rule_terms import key_of
from dangjian.core.models import AliveManager, SoftDeleteModel, TimestampedModel
from dangjian.crypto.fields import SealedTextField
from dangjian.rules.choices import CHOICES
from dangjian.rules.confidence import REGULATION


class EventKind(models.TextChoices):
    ILLNESS = "illness", _("生病住院")
    BEREAVEMENT = "bereavement", _("直系亲属去世")
    MARRIAGE = "marriage", _("结婚")
    CHILDBIRTH = "childbirth", _("生育")
    POST_CHANGE = "post_change", _("工作岗位变动")
    NEW_HIRE = "new_hire", _("新入职")
    DISCIPLINE = "discipline", _("受到处分或组织处理")
    HARDSHIP = "hardship", _("家庭重大变故或生活困难")
    RETIREMENT = "retirement", _("退休")
    LONG_LEAVE = "long_leave", _("长期离岗或工作状态异常")
    LEAVE_RETURN = "leave_return", _("长假返岗")
    PROBLEM_SIGNS = "problem_signs", _("出现苗头性问题或有投诉")
    COLLEAGUE_TENSION = "colleague_tension", _("与同事产生矛盾")
    BIRTHDAY = "birthday", _("生日")
    HOLIDAY = "holiday", _("节日前")
    MILESTONE = "milestone", _("重大项目节点")
    FAMILY_BURDEN = "family_burden", _("新增家庭负担")


class ObligationKind(models.TextChoices):
    ASK = "ask", _("必问")
    TALK = "talk", _("必谈")
    VISIT = "visit", _("必访")


class Responsible(models.TextChoices):
    SECRETARY = "secretary", _("所在党支部书记")
    CARE_OFFICER = "care_officer", _("关怀专员")
    DEPARTMENT_HEAD = "department_head", _("部门负责人")
    OFFICE = "office", _("党委办公室")


# The one set of confidence marks (dangjian.rules.confidence): no national list exists, so every line is an
# organisation setting (S: from lists organisations publish; L: this institute's own), never regulation.
CARE_CONFIDENCE = [(mark, label) for mark, label in CHOICES if mark not in REGULATION]


class CareRule(TimestampedModel):
    """One line of the organisation's list, its identity: an event kind triggers one kind of care by one role.

    Obligations point at this row. Its terms (deadline, in use, source and confidence) are versions in the rule
    store (``care.rule_terms``), so an edit starts a new version from a date instead of overwriting the line. The
    identity never changes once the line exists: a different trigger, kind or role is a different line.
    """

    trigger = models.CharField(_("触发事件"), max_length=30, choices=EventKind.choices)
    kind = models.CharField(_("关怀方式"), max_length=10, choices=ObligationKind.choices)
    responsible = models.CharField(_("责任人"), max_length=20, choices=Responsible.choices)

    class Meta:
        verbose_name = _("关怀规则")
        verbose_name_plural = _("关怀规则")
        ordering = ["trigger", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["trigger", "kind", "responsible"], name="care_rule_unique_line"),
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} → {self.get_kind_display()}"

    @property
    def key(self) -> str:
        """The rule store key of this line's versioned terms."""
        return key_of(self.trigger, self.kind, self.responsible)


class EventSource(models.TextChoices):
    FORM = "form", _("页面登记")
    IMPORT = "import", _("Excel导入")


class CareEvent(SoftDeleteModel):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="care_events", verbose_name=_("职工")
    )
    kind = models.CharField(_("事件类型"), max_length=30, choices=EventKind.choices)
    occurred_on = models.DateField(_("发生日期"))
    # Illness, bereavement, discipline, family hardship: sensitive personal information (PIPL art. 28), encrypted at
    # rest for every kind, so that a kind's text never decides whether it is protected.
    description = SealedTextField(_("情况说明"), blank=True, context="care.careevent.description")
    # Denormalised when recorded, so coverage per branch and department is a plain GROUP BY.
    branch = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("党支部")
    )
    department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )
    source = models.CharField(_("来源"), max_length=10, choices=EventSource.choices, default=EventSource.FORM)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AliveManager.from_queryset(ScopedSoftDeleteQuerySet)()
    all_objects = models.Manager.from_queryset(ScopedSoftDeleteQuerySet)()
    scoped_by = ScopedBy("care.view", person="person", reach=Reach.MEMBERS_AND_STAFF)

    class Meta:
        verbose_name = _("关怀事件")
        verbose_name_plural = _("关怀事件")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["occurred_on"]), models.Index(fields=["kind", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.person.name}：{self.get_kind_display()}"


class ObligationStatus(models.TextChoices):
    OPEN = "open", _("待办")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


class Obligation(TimestampedModel):
    event = models.ForeignKey(CareEvent, on_delete=models.PROTECT, related_name="obligations")
    rule = models.ForeignKey(CareRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("关怀方式"), max_length=10, choices=ObligationKind.choices)
    responsible_role = models.CharField(_("责任人"), max_length=20, choices=Responsible.choices)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_obligations",
        verbose_name=_("责任人账号"),
    )
    due_on = models.DateField(_("办理期限"))
    status = models.CharField(_("状态"), max_length=10, choices=ObligationStatus.choices, default="open")
    follow_up_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("跟进自")
    )
    # The closing record: who, when, what was done, whether a follow-up is needed and by when.
    done_on = models.DateField(_("办理日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("办理人")
    )
    what_done = models.TextField(_("办理情况"), blank=True)
    follow_up_needed = models.BooleanField(_("需要跟进"), default=False)
    follow_up_on = models.DateField(_("跟进日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = models.Manager.from_queryset(ScopedSoftDeleteQuerySet)()
    scoped_by = ScopedBy("care.view", person="event__person", reach=Reach.MEMBERS_AND_STAFF)

    class Meta:
        verbose_name = _("关怀事项")
        verbose_name_plural = _("关怀事项")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["responsible_user", "status"])]

    def __str__(self) -> str:
        return f"{self.event.person.name}：{self.get_kind_display()}"

    def is_overdue(self, today) -> bool:
        """Late from the day after the deadline; on the deadline day itself it is still in time."""
        return self.status == ObligationStatus.OPEN and self.due_on < today

    @property
    def in_time(self) -> bool:
        return self.done_on is not None and self.done_on <= self.due_on
