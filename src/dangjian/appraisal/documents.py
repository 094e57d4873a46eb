"""The appraisal part of an organisation's yearly record (民主评议党员情况), for the ledger.

Each branch of the organisation that opened its democratic appraisal of the year (党员教育管理工作条例 第18条):
when it opened, the members' meeting that confirmed it, how many took part and how many were graded in each
grade; then, for a confirmed appraisal, the summary form (汇总表) of the branch — each member with the tallies
of the democratic vote as counted at the meeting and the grade the meeting confirmed. Mutual ratings are
anonymous and self-reviews are the member's own text: neither appears, only whether a self-review was written.
Two queries whatever the number of branches and members.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, Period
from dangjian.orgs.models import Organization

from .models import Appraisal, AppraisalStatus, Grade, Participant

SUMMARY_HEADERS = (
    _("党支部"),
    _("阶段"),
    _("开展日期"),
    _("确认日期"),
    _("参评"),
    _("自评"),
    *Grade.labels,
)
SUMMARY_WIDTHS = (24, 21, 21, 21, 10, 10, 10, 10, 16, 13)  # mm


def result_headers() -> list[str]:
    """序号, 姓名, a column of votes per grade (优秀票 …), 评定等次: the branch's summary form (汇总表)."""
    votes = [str(_("%(grade)s票")) % {"grade": label} for label in Grade.labels]
    return [str(_("序号")), str(_("姓名")), *votes, str(_("评定等次"))]


RESULT_WIDTHS = (12, 24, 17, 17, 21, 17, 48)


@dataclass(frozen=True)
class AppraisalRecord(DocumentPart):
    section: str = "appraisal"
    key: str = "appraisal.year"
    title: Any = _("民主评议党员情况")
    order: int = 60

    def appraisals(self, organization: Organization, period: Period):
        participants = Participant.objects.select_related("person").order_by("person__sort_key", "person__name", "id")
        return (
            Appraisal.objects.filter(
                organization__in=Organization.objects.subtree(organization.path), year=period.end.year
            )
            .select_related("organization", "confirmed_meeting")
            .prefetch_related(Prefetch("participants", queryset=participants, to_attr="members"))
            .order_by("organization__path", "pk")
        )

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        """Adds a heading, the table of the year's appraisals and each confirmed branch's results."""
        year = period.end.year
        paper.heading(document, _("%(title)s（%(year)d年）") % {"title": self.title, "year": year})
        appraisals = list(self.appraisals(organization, period))
        if not appraisals:
            paper.paragraph(document, str(_("本年度未开展民主评议党员。")))
            return
        confirmed = [a for a in appraisals if a.status == AppraisalStatus.CONFIRMED]
        people = sum(len(a.members) for a in appraisals)
        paper.paragraph(
            document,
            str(
                _(
                    "本年度%(n)d个党支部开展民主评议党员，参评党员%(people)d人；其中%(done)d个党支部的评议结果已经党员大会确认。"
                )
            )
            % {"n": len(appraisals), "people": people, "done": len(confirmed)},
        )
        paper.table(
            document,
            SUMMARY_HEADERS,
            [self._summary_row(a) for a in appraisals],
            widths=SUMMARY_WIDTHS,
            numeric=range(2, len(SUMMARY_HEADERS)),
        )
        paper.paragraph(
            document,
            str(_("各等次人数为党员大会确认的评定等次；预备党员参加评议，是否评定等次按本单位设置。")),
        )
        for appraisal in appraisals:
            self._results(document, appraisal)

    def _summary_row(self, a: Appraisal) -> list[Any]:
        done = a.status == AppraisalStatus.CONFIRMED
        grades = Counter(p.final_grade for p in a.members if p.graded and p.final_grade)
        meeting = a.confirmed_meeting
        return [
            a.organization.name,
            a.get_status_display(),
            paper.iso(timezone.localdate(a.created_at)),
            paper.iso(timezone.localdate(meeting.starts_at)) if meeting else "—",
            len(a.members),
            sum(1 for p in a.members if p.self_review),
            *((grades.get(code, 0) if done else "—") for code in Grade.values),
        ]

    def _results(self, document: Any, a: Appraisal) -> None:
        paper.subheading(document, _("%(branch)s民主评议党员结果") % {"branch": a.organization.name})
        if a.status != AppraisalStatus.CONFIRMED:
            paper.paragraph(
                document,
                str(_("评议尚在进行中（当前阶段：%(stage)s），等次经党员大会确认后列入。"))
                % {"stage": a.get_status_display()},
            )
            return
        rows = []
        for n, p in enumerate(a.members, start=1):
            if p.graded:
                votes = [p.vote_excellent, p.vote_qualified, p.vote_basic, p.vote_unqualified]
                grade = p.get_final_grade_display() or "—"
            else:
                votes, grade = ["—"] * 4, str(_("预备党员，不评定等次"))
            rows.append([n, p.person.name, *votes, grade])
        paper.table(document, result_headers(), rows, widths=RESULT_WIDTHS, numeric=(0, 2, 3, 4, 5))
        meeting = a.confirmed_meeting
        if meeting is not None:
            paper.paragraph(
                document,
                str(_("以上等次经%(date)s党员大会（%(title)s）确认。"))
                % {"date": paper.cn_date(timezone.localdate(meeting.starts_at)), "title": meeting.title},
            )


RECORD = AppraisalRecord()
