"""The people's part of a cycle: self-assessment (自评), review (审核评分), the settled manual score, objections.

- ``SelfAssessment``: one per unit of a cycle — the secretary's overall narrative and the moment it was submitted
  (after which the self-scores are read-only to the unit).
- ``SelfScore``: the unit's own score and narrative on one ``manual`` leaf.
- ``Evidence``: a file (佐证材料) the unit attaches to a ``manual`` leaf; withdrawn, never deleted.
- ``Reviewer``: who scores a scoring department's (打分部门) leaves in a cycle.
- ``ReviewEntry``: append-only — every score a reviewer gives, every settlement by the office and every change
  after an objection is a new row with its reason, so the history of a point is never overwritten.
- ``ManualScore``: the one score that counts for a unit's leaf (the average of the required reviewers, or the
  office's settlement), rewritten in the same transaction as the entry that changes it, carrying the leaf's 一级
  indicator so the results add the manual points per section with one GROUP BY.
- ``Objection``: a unit's objection to an item within the cycle's objection window, and the office's answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SelfAssessment(models.Model):
    cycle = models.ForeignKey(
        "assessment.AssessmentCycle",
        on_delete=models.PROTECT,
        related_name="self_assessments",
        verbose_name=_("考核周期"),
    )
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    narrative = models.TextField(_("自评总结"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # the office may return a submission for completion; the unit submits again
    returned_reason = models.TextField(_("退回原因"), blank=True)

    class Meta:
        verbose_name = _("自评")
        verbose_name_plural = _("自评")
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="assessment_self_assessment_unique")]


class SelfScore(models.Model):
    cycle = models.ForeignKey("assessment.AssessmentCycle", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey("assessment.Indicator", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("自评分"), max_digits=7, decimal_places=2)
    narrative = models.TextField(_("自评说明"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("自评分")
        verbose_name_plural = _("自评分")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit", "indicator"], name="assessment_self_score_unique")
        ]


class Evidence(models.Model):
    cycle = models.ForeignKey("assessment.AssessmentCycle", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey("assessment.Indicator", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to="assessment/evidence/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回原因"), blank=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["cycle", "unit", "indicator", "uploaded_at", "pk"]
        indexes = [models.Index(fields=["cycle", "unit"], name="assessment_evidence_unit")]


class Reviewer(models.Model):
    cycle = models.ForeignKey(
        "assessment.AssessmentCycle", on_delete=models.PROTECT, related_name="reviewers", verbose_name=_("考核周期")
    )
    # an Indicator.scoring_department value (组织部 / 宣传部 / 纪委 / 工会…)
    department = models.CharField(_("打分部门"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("评分人")
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评分人")
        verbose_name_plural = _("评分人")
        ordering = ["cycle", "department", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "department", "user"],
                condition=models.Q(removed_at__isnull=True),
                name="assessment_reviewer_unique",
            )
        ]


class EntryKind(models.TextChoices):
    REVIEW = "review", _("评分")
    SETTLEMENT = "settlement", _("办公室裁定")
    OBJECTION = "objection", _("异议处理")


class ReviewEntry(models.Model):
    cycle = models.ForeignKey("assessment.AssessmentCycle", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey("assessment.Indicator", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=EntryKind.choices, default=EntryKind.REVIEW)
    score = models.DecimalField(_("评分"), max_digits=7, decimal_places=2)
    reason = models.TextField(_("评分理由"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("评分时间"), auto_now_add=True)
    # the objection this entry answers (kind = objection)
    objection = models.ForeignKey(
        "assessment.Objection", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )

    class Meta:
        verbose_name = _("评分记录")
        verbose_name_plural = _("评分记录")
        ordering = ["cycle", "unit", "indicator", "entered_at", "pk"]
        indexes = [models.Index(fields=["cycle", "unit", "indicator"], name="assessment_entry_item")]


class ManualScore(models.Model):
    cycle = models.ForeignKey("assessment.AssessmentCycle", on_delete=models.PROTECT, related_name="+", db_index=False)
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey("assessment.Indicator", on_delete=models.PROTECT, related_name="+")
    # the leaf's 一级 indicator (as AutoScore.section)
    section = models.ForeignKey("assessment.Indicator", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    # true while two reviewers differ by more than the cycle's threshold and the office has not settled it;
    # the score then is the average so far and sign-off is refused
    disputed = models.BooleanField(_("待裁定"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("人工得分")
        verbose_name_plural = _("人工得分")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit", "indicator"], name="assessment_manual_score_unique")
        ]


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    UPHELD = "upheld", _("已采纳")
    REJECTED = "rejected", _("未采纳")


class Objection(models.Model):
    cycle = models.ForeignKey(
        "assessment.AssessmentCycle", on_delete=models.PROTECT, related_name="objections", verbose_name=_("考核周期")
    )
    unit = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    indicator = models.ForeignKey(
        "assessment.Indicator", on_delete=models.PROTECT, related_name="+", verbose_name=_("指标")
    )
    reason = models.TextField(_("异议理由"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["cycle", "-raised_at", "-pk"]
