"""Who rates and what they gave, kept apart so no ballot can be tied to its rater.

As in the appraisal's anonymous mutual review (``appraisal.models.ratings``), a rater's participation and their
ballots are different rows. Here the link is cut completely: voting is once and final, so nothing needs to find
a rater's ballots again (the appraisal keeps a keyed digest because a member may revise). A ``Rater`` row says
that a person of a group voted and when; a ``Ballot`` row holds the meeting, the report, the group and the grade,
with no rater, no digest and no timestamp, and a random primary key, so neither a column nor the order of rows
ties it to the moment (and so the person) it was cast.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimestampedModel

from .secretary_report import RaterGroup, ReportGrade


class Rater(TimestampedModel):
    meeting = models.ForeignKey("assessment.ReportMeeting", on_delete=models.PROTECT, related_name="raters")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="report_rater_entries", verbose_name=_("测评人")
    )
    group = models.CharField(_("测评组"), max_length=20, choices=RaterGroup.choices)
    voted_at = models.DateTimeField(_("投票时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("测评人")
        verbose_name_plural = _("测评人")
        ordering = ["meeting", "group", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="assessment_one_rater_entry_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}（{self.get_group_display()}）"


class Ballot(models.Model):
    """One anonymous online ballot: a grade for one secretary from someone of a group."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey("assessment.ReportMeeting", on_delete=models.PROTECT, related_name="ballots")
    report = models.ForeignKey("assessment.SecretaryReport", on_delete=models.PROTECT, related_name="ballots")
    group = models.CharField(_("测评组"), max_length=20, choices=RaterGroup.choices)
    grade = models.CharField(_("评价"), max_length=20, choices=ReportGrade.choices)

    class Meta:
        verbose_name = _("测评票")
        verbose_name_plural = _("测评票")

    def __str__(self) -> str:
        return f"{self.report} {self.get_grade_display()}"


class PaperTally(TimestampedModel):
    """The paper forms' counts for one secretary in one group, as counted at the meeting (计票)."""

    report = models.ForeignKey("assessment.SecretaryReport", on_delete=models.PROTECT, related_name="tallies")
    group = models.CharField(_("测评组"), max_length=20, choices=RaterGroup.choices)
    good = models.PositiveIntegerField(_("好"), default=0)
    fairly_good = models.PositiveIntegerField(_("较好"), default=0)
    average = models.PositiveIntegerField(_("一般"), default=0)
    poor = models.PositiveIntegerField(_("差"), default=0)

    class Meta:
        verbose_name = _("纸质测评计票")
        verbose_name_plural = _("纸质测评计票")
        constraints = [
            models.UniqueConstraint(fields=["report", "group"], name="assessment_one_tally_per_report_group")
        ]

    def counts(self) -> dict[str, int]:
        return {g: getattr(self, g) for g in ReportGrade.values}
