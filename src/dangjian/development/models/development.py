from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel, SoftDeleteQuerySet, TimestampedModel


class DevelopmentStage(models.TextChoices):
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    CONVERTED = "converted", _("已转正")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class ContactRole(models.TextChoices):
    TALK = "talk", _("谈话人")
    TRAINING_CONTACT = "training_contact", _("培养联系人")
    SPONSOR = "sponsor", _("入党介绍人")


class DevelopmentQuerySet(ScopedQuerySet, SoftDeleteQuerySet):
    pass


class DevelopmentManager(AliveManager.from_queryset(DevelopmentQuerySet)):  # type: ignore[misc]
    pass


class Development(SoftDeleteModel):
    """One person's development case (发展党员), under the step table in force on the application date."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="developments", verbose_name=_("发展对象人员")
    )
    branch = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="developments", verbose_name=_("党支部")
    )
    stage = models.CharField(
        _("当前阶段"), max_length=20, choices=DevelopmentStage.choices, default=DevelopmentStage.APPLICANT
    )
    started_on = models.DateField(_("递交入党申请书日期"))
    rule_version = models.CharField(_("适用细则版本"), max_length=10, editable=False)
    # 细则 第19条: a development target leaving the unit within 3 months is generally not admitted; the date is
    # recorded when known and judged at 预审 and the later admission decisions (rules.pre_review_leave_ok).
    leaves_unit_on = models.DateField(_("预计离开工作、学习单位日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    # Denormalised by the services so that the due/overdue lists are plain queries.
    next_step = models.PositiveSmallIntegerField(_("下一步骤"), null=True, blank=True)
    next_due_on = models.DateField(_("下一步骤期限"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The 发文字号 of the branch's 请示 to admit (GB/T 9704 §7.2.4: 〔2026〕3号), taken the first time the request is
    # printed and kept, so that printing it again gives the same number; counted per branch and year.
    request_year = models.PositiveSmallIntegerField(_("请示年度"), null=True, blank=True, editable=False)
    request_seq = models.PositiveIntegerField(_("请示序号"), null=True, blank=True, editable=False)

    objects = DevelopmentManager()
    all_objects = models.Manager.from_queryset(DevelopmentQuerySet)()
    scoped_by = ScopedBy("development.view", organization="branch", own="person")

    class Meta:
        verbose_name = _("发展党员")
        verbose_name_plural = _("发展党员")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["status", "next_due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "request_year", "request_seq"],
                condition=Q(request_seq__isnull=False),
                name="development_request_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_stage_display()}）"


class StepRecord(TimestampedModel):
    development = models.ForeignKey(Development, on_delete=models.PROTECT, related_name="steps")
    number = models.PositiveSmallIntegerField(_("步骤"))
    code = models.CharField(_("步骤代码"), max_length=40)
    done_on = models.DateField(_("完成日期"))
    actor = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人")
    )
    documents = models.TextField(_("材料"), blank=True)
    note = models.TextField(_("备注"), blank=True)
    training_days = models.DecimalField(_("培训天数"), max_digits=5, decimal_places=1, null=True, blank=True)
    training_hours = models.DecimalField(_("培训学时"), max_digits=6, decimal_places=1, null=True, blank=True)
    # The branch members' meeting (steps 15 and 23): counts of full members with voting rights.
    votes_due = models.PositiveSmallIntegerField(_("应到有表决权人数"), null=True, blank=True)
    votes_present = models.PositiveSmallIntegerField(_("实到有表决权人数"), null=True, blank=True)
    votes_yes = models.PositiveSmallIntegerField(_("赞成票数"), null=True, blank=True)
    # 细则 第21条: a written opinion submitted before the meeting by a member who cannot attend counts as a vote,
    # not as attendance: the yes votes among them, kept apart from those present.
    votes_written_yes = models.PositiveSmallIntegerField(_("书面意见赞成票数"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("发展步骤记录")
        verbose_name_plural = _("发展步骤记录")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["development", "number"], name="one_record_per_step")]


class Override(models.Model):
    """The committee office lets a blocked step through; the reason is kept."""

    development = models.ForeignKey(Development, on_delete=models.PROTECT, related_name="overrides")
    step_code = models.CharField(_("步骤代码"), max_length=40)
    reason = models.TextField(_("理由"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("例外放行")
        verbose_name_plural = _("例外放行")
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="override_reason_required")]


class Contact(TimestampedModel):
    development = models.ForeignKey(Development, on_delete=models.PROTECT, related_name="contacts")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("人员"))
    role = models.CharField(_("角色"), max_length=20, choices=ContactRole.choices)

    class Meta:
        verbose_name = _("联系人")
        verbose_name_plural = _("联系人")
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["development", "person", "role"], name="one_contact_role_per_person")
        ]
