"""The talks and study-hours part of an organisation's yearly record (谈心谈话与学习学时), for the ledger.

Two parts, over the organisation's subtree: the year's talks (date, branch, who talked with whom, what about, the
follow-up date) with each branch's coverage against the rule (``talks.min_per_member_per_year``), and each
current party member's class hours — credited meetings plus study records — against the yearly minimum
(党员教育管理工作条例 art. 20). The same figures as the pages /life/talks/ and /life/hours/. A constant number
of queries whatever the number of talks or members.

The look is the shared party-document layout (``core.paper``, GB/T 9704-2012 党政机关公文格式): A4, body in 三号
仿宋, the part's heading in 三号黑体, its sections in 三号楷体, tables at 五号 with their header row repeated on every
page, the title of a stand-alone document (``build``) in 二号小标宋.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, Period
from dangjian.core.ruletable import NoRuleInForce, Rule
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person
from dangjian.rules import services as rule_store

from .figures import talk_coverage, with_hours, with_required_hours
from .models import Talk
from .rule_data import LEADER_HOURS, TALKS_RULES

TALK_HEADERS = (
    gettext_lazy("日期"),
    gettext_lazy("党支部"),
    gettext_lazy("谈话人"),
    gettext_lazy("谈话对象"),
    gettext_lazy("谈话内容"),
    gettext_lazy("跟进期限"),
)
# mm of the 156 mm type area at 五号 (3.7 mm a character): a date, a branch of ten characters and names of four
# on one line
TALK_WIDTHS = (21, 41, 17, 17, 40, 20)  # "10月28日" on one line
COVERAGE_HEADERS = (gettext_lazy("党支部"), gettext_lazy("党员"), gettext_lazy("已谈"), gettext_lazy("未谈"))
COVERAGE_WIDTHS = (66, 30, 30, 30)
HOURS_HEADERS = (
    gettext_lazy("姓名"),
    gettext_lazy("党支部"),
    gettext_lazy("会议学时"),
    gettext_lazy("个人学习"),
    gettext_lazy("合计"),
    gettext_lazy("状态"),
)
HOURS_WIDTHS = (19, 53, 21, 21, 21, 21)  # a branch of thirteen characters on one line
MEMBERS = ("member", "probationary")


def _day(d: date | None, year: int) -> str:
    """ "3月5日" in the record's year (its heading names the year), with the year otherwise."""
    if d is None:
        return "—"
    return f"{d.month}月{d.day}日" if d.year == year else f"{d.year}年{d.month}月{d.day}日"


def _hours(value) -> str:
    return f"{Decimal(value or 0):.1f}"


@dataclass(frozen=True)
class TalksRecord(DocumentPart):
    section: str = "talks"
    key: str = "talks.year"
    title: Any = gettext_lazy("谈心谈话与学习学时")
    order: int = 20

    def talks(self, organization: Organization, period: Period):
        return (
            Talk.objects.filter(
                organization__in=Organization.objects.subtree(organization.path),
                held_on__gte=period.start,
                held_on__lte=period.end,
            )
            .select_related("organization", "talker", "talkee")
            .order_by("held_on", "pk")
        )

    def hours(
        self, organization: Organization, year: int, minimum: int | None = None, leaders: int | None = None
    ) -> list[tuple[Person, str]]:
        """Each current party member of the subtree with their branch's name, hours and the hours they owe
        (``required_hours``: ``leaders`` for secretaries and committee members) annotated; fewest first."""
        branch_of = dict(
            Membership.objects.current()
            .filter(
                organization__in=Organization.objects.subtree(organization.path),
                person__political_status__in=MEMBERS,
            )
            .values_list("person_id", "organization__name")
        )
        people = with_required_hours(
            with_hours(Person.objects.filter(pk__in=list(branch_of)), year), year, minimum, leaders
        ).order_by("hours", "sort_key", "name", "pk")
        return [(p, branch_of[p.pk]) for p in people]

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        """Adds the two parts, each a heading and its tables, to ``document`` (a python-docx Document)."""
        year = period.end.year
        on = period.end
        paper.heading(document, f"{self.title}（{paper.cn_date(period.start)}—{paper.cn_date(period.end)}）")

        try:
            times: int | None = rule_store.table(TALKS_RULES, organization).value("talks.min_per_member_per_year", on)
        except NoRuleInForce as exc:  # a period before the rule: the talks, and the sentence instead of coverage
            times, no_talks_rule = None, exc.message
        paper.subheading(document, _("一、谈心谈话"))
        talks = list(self.talks(organization, period))
        if talks:
            rows = [
                (
                    _day(t.held_on, year),
                    t.organization.name,
                    t.talker.name,
                    t.talkee.name,
                    t.topics,
                    _day(t.follow_up_due, year),
                )
                for t in talks
            ]
            paper.table(document, TALK_HEADERS, rows, widths=TALK_WIDTHS, numeric=(0, 5))
            paper.paragraph(document, _("共谈心谈话%(n)d次。") % {"n": len(talks)})
        else:
            paper.paragraph(document, _("本期间无谈心谈话记录。"))
        memberships = Membership.objects.current().filter(
            organization__in=Organization.objects.subtree(organization.path)
        )
        coverage = talk_coverage(memberships, year, times) if times is not None else []
        if times is None:
            paper.paragraph(document, no_talks_rule)
        elif coverage:
            paper.paragraph(document, _("各支部覆盖情况（每名党员每年至少谈心谈话%(n)d次）：") % {"n": times})
            paper.table(
                document,
                COVERAGE_HEADERS,
                [(r["organization__name"], r["members"], r["covered"], r["missing"]) for r in coverage],
                widths=COVERAGE_WIDTHS,
                numeric=(1, 2, 3),
            )

        paper.subheading(document, _("二、党员学习学时"))
        try:
            minimum = TALKS_RULES.rule("training.min_hours_per_year", on)
        except NoRuleInForce as exc:
            paper.paragraph(document, exc.message)
            return
        try:  # secretaries and committee members: the higher figure (2014—2018 规划; the institute's setting after)
            leaders: Rule | None = TALKS_RULES.rule(LEADER_HOURS, on)
        except NoRuleInForce:
            leaders = None
        members = self.hours(organization, year, minimum.value, leaders.value if leaders else None)
        if not members:
            paper.paragraph(document, _("本组织无在册党员。"))
            return
        short = sum(1 for p, _branch in members if p.hours < p.required_hours)
        paper.paragraph(
            document,
            _("每名党员每年集中学习培训不少于%(n)s学时（%(c)s）。在册党员%(members)d人，其中%(short)d人不足。")
            % {"n": minimum.value, "c": minimum.citation, "members": len(members), "short": short},
        )
        if leaders is not None:
            paper.paragraph(
                document,
                _("党组织书记和委员会委员每年不少于%(n)s学时（%(c)s）。") % {"n": leaders.value, "c": leaders.citation},
            )
        rows = [
            (
                p.name,
                branch,
                _hours(p.meeting_hours),
                _hours(p.study_hours),
                _hours(p.hours),
                _("不足") if p.hours < p.required_hours else _("达标"),
            )
            for p, branch in members
        ]
        paper.table(document, HOURS_HEADERS, rows, widths=HOURS_WIDTHS, numeric=(2, 3, 4, 5))


RECORD = TalksRecord()


def build(organization: Organization, period: Period) -> bytes:
    """The record alone as a .docx in the party-document layout, titled with the organisation and the year."""
    document = paper.new_document()
    heading = _("%(org)s%(year)d年度谈心谈话与学习学时") % {"org": organization.name, "year": period.end.year}
    paper.title(document, heading)
    RECORD.render(organization, period, document)
    # the organisation that keeps the record signs it, dated the day it is printed (GB/T 9704 §7.3.5.1); the line
    # before it goes with it, so that no page holds the signature alone after a long table
    today = timezone.localdate()
    closing = paper.paragraph(document, _("以上情况统计截至%(day)s。") % {"day": paper.cn_date(min(today, period.end))})
    closing.paragraph_format.keep_with_next = True
    paper.signature(document, paper.party_name(organization.name), paper.cn_date(today))
    return paper.to_bytes(document)
