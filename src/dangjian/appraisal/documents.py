"""The 民主评议 section of the ledger: the year's democratic appraisal of members (党员教育管理工作条例 第18条).

For each branch of the organisation that opened its appraisal of the year, after a line on its course (opened,
review closed, the members' meeting that confirmed it):

- 民主评议党员登记表, compact, one row per member: member or probationary, whether the self-review was handed in,
  the mutual appraisal's tallies (优秀/合格/基本合格/不合格, anonymous counts, shown once review closed as the
  appraisal page does), the grade the branch committee proposed and the grade the meeting confirmed;
- 民主评议党员汇总表: each member's votes in the democratic vote and the grade, then the count of each grade.

The self-review's text stays on the member's own page (the branch's pages show only whether it was written), and
who rated whom is never stored. Gaps: a branch with no appraisal of the year, an appraisal not yet confirmed by
the members' meeting, members without a result (a graded participant without a grade, or a full member of the
branch who is not on the appraisal). Three queries to render, three to find the gaps.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, LedgerGap, Period
from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Membership, MembershipStatus

from .models import Appraisal, AppraisalStatus, Grade, MutualRating, Participant


def register_headers() -> list[str]:
    return [
        str(_("序号")),
        str(_("姓名")),
        str(_("党员类别")),
        str(_("个人自评")),
        str(_("党员互评（优秀/合格/基本合格/不合格）")),
        str(_("支委会提出等次")),
        str(_("评定等次")),
    ]


REGISTER_WIDTHS = (10, 18, 18, 18, 40, 26, 26)  # mm


def result_headers() -> list[str]:
    """序号, 姓名, a column of votes per grade (优秀票 …), 评定等次: the branch's summary form (汇总表)."""
    votes = [str(_("%(grade)s票")) % {"grade": label} for label in Grade.labels]
    return [str(_("序号")), str(_("姓名")), *votes, str(_("评定等次"))]


RESULT_WIDTHS = (12, 24, 17, 17, 21, 17, 48)


def _appraisals(organization: Organization, year: int):
    participants = Participant.objects.select_related("person").order_by("person__sort_key", "person__name", "id")
    return (
        Appraisal.objects.filter(organization__in=Organization.objects.subtree(organization.path), year=year)
        .select_related("organization", "confirmed_meeting")
        .prefetch_related(Prefetch("participants", queryset=participants, to_attr="members"))
        .order_by("organization__path", "pk")
    )


def _mutual(appraisals: list[Appraisal]) -> dict[int, Counter]:
    """Each participant's mutual-appraisal tallies, for the appraisals whose review has closed (one query)."""
    closed = [a.pk for a in appraisals if a.review_closed_at is not None]
    out: dict[int, Counter] = defaultdict(Counter)
    if not closed:
        return out
    rows = MutualRating.objects.filter(appraisal_id__in=closed).values("ratee_id", "grade").annotate(n=Count("id"))
    for row in rows.order_by():
        out[row["ratee_id"]][row["grade"]] = row["n"]
    return out


@dataclass(frozen=True)
class AppraisalRecord(DocumentPart):
    section: str = "appraisal"
    key: str = "appraisal.year"
    title: Any = _("民主评议党员")
    order: int = 10

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        if self.title:
            paper.subheading(document, str(self.title))
        appraisals = list(_appraisals(organization, period.end.year))
        if not appraisals:
            paper.paragraph(document, str(_("本年度无民主评议党员记录。")))
            return
        mutual = _mutual(appraisals)
        several = len(appraisals) > 1
        for a in appraisals:
            self._one(document, a, mutual, several)

    def _one(self, document: Any, a: Appraisal, mutual: dict[int, Counter], several: bool) -> None:
        prefix = a.organization.name if several else ""
        meeting = a.confirmed_meeting
        course = str(_("%(branch)s于%(opened)s开展%(year)d年度民主评议党员，参评党员%(n)d人，当前阶段：%(stage)s")) % {
            "branch": a.organization.name,
            "opened": paper.cn_date(a.opened_on),
            "year": a.year,
            "n": len(a.members),
            "stage": a.get_status_display(),
        }
        if meeting is not None:
            course += str(_("；评定等次经%(date)s党员大会（%(title)s）确认")) % {
                "date": paper.cn_date(timezone.localdate(meeting.starts_at)),
                "title": meeting.title,
            }
        paper.paragraph(document, course + "。")

        paper.paragraph(document, prefix + str(_("（一）民主评议党员登记表")), indent=False)
        closed = a.review_closed_at is not None
        rows = []
        for n, p in enumerate(a.members, start=1):
            tally = mutual.get(p.pk, Counter())
            rows.append(
                [
                    n,
                    p.person.name,
                    str(_("正式党员")) if p.graded else str(_("预备党员")),
                    str(_("已提交")) if p.self_review.strip() else str(_("未提交")),
                    "/".join(str(tally.get(code, 0)) for code in Grade.values) if closed else str(_("互评进行中")),
                    p.get_proposed_grade_display() or "—",
                    self._grade(a, p),
                ]
            )
        paper.table(document, register_headers(), rows, widths=REGISTER_WIDTHS, numeric=(0, 2, 3, 4, 5, 6))

        paper.paragraph(document, prefix + str(_("（二）民主评议党员汇总表")), indent=False)
        rows = []
        for n, p in enumerate(a.members, start=1):
            votes = [p.vote_excellent, p.vote_qualified, p.vote_basic, p.vote_unqualified] if p.graded else ["—"] * 4
            rows.append([n, p.person.name, *votes, self._grade(a, p)])
        paper.table(document, result_headers(), rows, widths=RESULT_WIDTHS, numeric=(0, 2, 3, 4, 5, 6))
        if a.status == AppraisalStatus.CONFIRMED:
            counts = Counter(p.final_grade for p in a.members if p.graded and p.final_grade)
            text = "，".join(
                str(_("%(grade)s%(n)d人")) % {"grade": label, "n": counts.get(code, 0)} for code, label in Grade.choices
            )
            ungraded = sum(1 for p in a.members if not p.graded)
            paper.paragraph(
                document,
                str(_("评定结果：%(counts)s；预备党员%(ungraded)d人参加评议，不评定等次。"))
                % {"counts": text, "ungraded": ungraded},
            )
        else:
            paper.paragraph(document, str(_("评议尚未经党员大会确认，评定等次待确认后填入。")))

    @staticmethod
    def _grade(a: Appraisal, p: Participant) -> str:
        if not p.graded:
            return str(_("不评定等次"))
        if a.status != AppraisalStatus.CONFIRMED:
            return str(_("待确认"))
        return p.get_final_grade_display() or "—"

    def gaps(self, organization: Organization, period: Period) -> list[LedgerGap]:
        year = period.end.year
        branches = list(
            Organization.objects.subtree(organization.path).filter(kind=OrgKind.BRANCH).values_list("pk", "name")
        )
        appraisals = list(_appraisals(organization, year))
        by_branch = {a.organization_id: a for a in appraisals}
        out: list[LedgerGap] = []
        new = reverse("appraisal:open")
        for pk, name in branches:
            if pk not in by_branch:
                text = str(_("%(branch)s%(year)d年度未开展民主评议党员")) % {"branch": name, "year": year}
                out.append(LedgerGap("appraisal", text, new, period.end))
        # full members of the branch now who are not on its appraisal (joined before it opened)
        present = {(a.organization_id, p.person_id) for a in appraisals for p in a.members}
        members = (
            Membership.objects.current()
            .filter(organization_id__in=list(by_branch), status=MembershipStatus.FULL)
            .values_list("organization_id", "person__name", "person_id", "started_on")
            .order_by("organization__path", "person__sort_key", "person__name")
        )
        missing: dict[int, list[str]] = defaultdict(list)
        for org_id, name, person_id, started in members:
            if (org_id, person_id) not in present and started <= by_branch[org_id].opened_on:
                missing[org_id].append(name)
        for a in appraisals:
            link = reverse("appraisal:detail", args=[a.pk])
            branch = a.organization.name
            if a.status != AppraisalStatus.CONFIRMED:
                text = str(_("%(branch)s%(year)d年度民主评议尚未经党员大会确认（当前阶段：%(stage)s）")) % {
                    "branch": branch,
                    "year": year,
                    "stage": a.get_status_display(),
                }
                out.append(LedgerGap("appraisal", text, link, period.end))
            else:
                names = [p.person.name for p in a.members if p.graded and not p.final_grade]
                if names:
                    text = str(_("%(branch)s民主评议未评定等次：%(names)s")) % {
                        "branch": branch,
                        "names": "、".join(names),
                    }
                    out.append(LedgerGap("appraisal", text, link, period.end))
            if missing.get(a.organization_id):
                text = str(_("%(branch)s党员未参加民主评议：%(names)s")) % {
                    "branch": branch,
                    "names": "、".join(missing[a.organization_id]),
                }
                out.append(LedgerGap("appraisal", text, link, period.end))
        return out


RECORD = AppraisalRecord()
