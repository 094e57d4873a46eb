from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedQuerySet
from dangjian.core.models import TimestampedModel

from ..rule_data import GRADES

# the grades are defined once, in rule_data (practice, S: 党员教育管理工作条例 第18条 requires the appraisal but
# names no grades)
Grade = models.TextChoices("Grade", [(code.upper(), (code, _(label))) for code, label in GRADES])  # noqa: INT001


class AppraisalStatus(models.TextChoices):
    OPEN = "open", _("自评与互评中")
    VOTING = "voting", _("民主测评")
    PROPOSED = "proposed", _("支委会提出等次")
    CONFIRMED = "confirmed", _("党员大会已确认")


class AppraisalQuerySet(ScopedQuerySet):
    pass


class Appraisal(TimestampedModel):
    """A branch's yearly democratic appraisal of members (民主评议党员)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="appraisals", verbose_name=_("党支部")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("阶段"), max_length=20, choices=AppraisalStatus.choices, default=AppraisalStatus.OPEN)
    confirmed_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("确认的党员大会"),
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    # When self and mutual review closed (the stage left 自评与互评中): mutual tallies are shown only from then
    # on, and the members' meeting that confirms the grades cannot be held before that day.
    review_closed_at = models.DateTimeField(_("互评结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AppraisalQuerySet.as_manager()
    # A member sees the appraisals they take part in.
    scoped_by = ScopedBy("appraisal.view", organization="organization", own="participants__person")

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        ordering = ["-year", "organization__path"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="one_appraisal_per_branch_year")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年度民主评议"

    @property
    def opened_on(self) -> date:
        """The day the branch opened the appraisal (开展日期), in the platform's time zone."""
        return timezone.localdate(self.created_at)

    @property
    def review_closed_on(self) -> date | None:
        """The day self and mutual review closed, in the platform's time zone (None while still open)."""
        return timezone.localdate(self.review_closed_at) if self.review_closed_at else None

    @property
    def is_locked(self) -> bool:
        return self.status == AppraisalStatus.CONFIRMED


class Participant(TimestampedModel):
    """A member taking part; probationary members take part without a grade."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="appraisal_entries")
    graded = models.BooleanField(_("评定等次"), default=True)
    self_review = models.TextField(_("个人自评"), blank=True)
    vote_excellent = models.PositiveIntegerField(_("民主测评·优秀"), default=0)
    vote_qualified = models.PositiveIntegerField(_("民主测评·合格"), default=0)
    vote_basic = models.PositiveIntegerField(_("民主测评·基本合格"), default=0)
    vote_unqualified = models.PositiveIntegerField(_("民主测评·不合格"), default=0)
    proposed_grade = models.CharField(_("支委会提出等次"), max_length=20, choices=Grade.choices, blank=True)
    final_grade = models.CharField(_("评定等次"), max_length=20, choices=Grade.choices, blank=True)

    class Meta:
        verbose_name = _("参评党员")
        verbose_name_plural = _("参评党员")
        ordering = ["person__sort_key", "person__name", "id"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "person"], name="one_entry_per_person")]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def vote_counts(self) -> dict[str, int]:
        return {
            "excellent": self.vote_excellent,
            "qualified": self.vote_qualified,
            "basic": self.vote_basic,
            "unqualified": self.vote_unqualified,
        }
