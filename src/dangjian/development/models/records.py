"""What the branch records about a case besides its 25 steps: the half-yearly reviews of an activist (细则 第11条)
and the single extension of probation (第32条) or the cancellation of the probationary standing (第34条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimestampedModel

from .development import Development


class ActivistReview(TimestampedModel):
    """One half-yearly review (考察) of an activist by the branch (党支部每半年考察一次，细则 第11条)."""

    development = models.ForeignKey(Development, on_delete=models.PROTECT, related_name="activist_reviews")
    reviewed_on = models.DateField(_("考察日期"))
    reviewer = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("考察人")
    )
    summary = models.TextField(_("考察意见"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("入党积极分子考察")
        verbose_name_plural = _("入党积极分子考察")
        ordering = ["reviewed_on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(summary=""), name="activist_review_summary_required")]


class ProbationExtension(TimestampedModel):
    """The branch meeting's decision to extend probation, once only, by 6 to 12 months (细则 第32条)."""

    development = models.ForeignKey(Development, on_delete=models.PROTECT, related_name="probation_extensions")
    months = models.PositiveSmallIntegerField(_("延长月数"))
    decided_on = models.DateField(_("支部大会决定日期"))
    reason = models.TextField(_("理由"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("延长预备期")
        verbose_name_plural = _("延长预备期")
        ordering = ["decided_on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="probation_extension_reason_required")]


class ProbationCancellation(TimestampedModel):
    """The cancellation of a probationary member's standing (取消预备党员资格): 细则 第34条 "预备党员不履行党员义务，
    不具备党员条件的，应当取消其预备党员资格", decided by the branch members' meeting and approved by the upper
    committee like a conversion. It ends the case and the probationary membership (减少原因: 取消预备党员资格)."""

    development = models.OneToOneField(Development, on_delete=models.PROTECT, related_name="probation_cancellation")
    meeting_on = models.DateField(_("支部大会讨论日期"))
    approved_on = models.DateField(_("上级党委审批日期"))
    reason = models.TextField(_("理由"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("取消预备党员资格")
        verbose_name_plural = _("取消预备党员资格")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="probation_cancellation_reason_required"),
            models.CheckConstraint(
                condition=Q(approved_on__gte=models.F("meeting_on")), name="probation_cancellation_approved_after"
            ),
        ]
