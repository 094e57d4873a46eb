"""The talks and study-hours parts of an organisation's yearly record, for the ledger's section 谈心谈话.

Two parts, over the organisation's subtree: the year's talks (``TALKS``: by branch and quarter, who talked with
whom, the kind of talk of 支部工作条例 art. 19 — between committee members, a committee member and a member, two
members —, what was said as stored, the follow-up) with each branch's coverage against the rule
(``talks.min_per_member_per_year``), and each current party member's class hours (``HOURS``: credited meetings plus
study records) against the yearly minimum (党员教育管理工作条例 art. 20). The same figures as the pages /life/talks/
and /life/hours/. ``TALKS.gaps`` lists, per branch, the members talked with fewer times than the rule asks. A
constant number of queries whatever the number of talks or members.

The look is the shared party-document layout (``core.paper``, GB/T 9704-2012 党政机关公文格式): A4, body in 三号
仿宋, the part's heading in 三号黑体, its sections in 三号楷体, tables at 五号 with their header row repeated on every
page, the title of a stand-alone document (``build``) in 二号小标宋.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, LedgerGap, Period
from dangjian.core.ledger_parts import gaps_of
from dangjian.core.ruletable import NoRuleInForce, Rule
from dangjian.orgs.models import CommitteePost, CommitteeTerm, Organization
from dangjian.people.models import Membership, Person
from dangjian.rules import services as rule_store

from .figures import talk_coverage, with_hours, with_required_hours
from .models import Talk
from .rule_data import LEADER_HOURS, TALKS_RULES

TALK_HEADERS = (
    gettext_lazy("日期"),
    gettext_lazy("谈话人"),
    gettext_lazy("谈话对象"),
    gettext_lazy("类型"),
    gettext_lazy("谈话内容"),
    gettext_lazy("后续跟进"),
)
# mm of the 156 mm type area at 五号 (3.7 mm a character): "12月31日", names of four and "支委与党员" on one line
TALK_WIDTHS = (21, 15, 18, 21, 47, 34)
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


QUARTERS = (
    gettext_lazy("第一季度"),
    gettext_lazy("第二季度"),
    gettext_lazy("第三季度"),
    gettext_lazy("第四季度"),
)
NAMES_SHOWN = 10  # members named in a gap before "等N人"


def _committee_member(field: str, year: int) -> Exists:
    """Whether the talk's ``field`` (talker or talkee) sat on the committee of the talk's branch in ``year``: a post in
    a term elected by the year's end and not replaced by a later term of the branch by the year's start (as
    ``figures.leader_in``, within the branch)."""
    replaced = CommitteeTerm.objects.filter(
        organization=OuterRef("term__organization"),
        elected_on__gt=OuterRef("term__elected_on"),
        elected_on__lte=date(year, 1, 1),
    )
    return Exists(
        CommitteePost.objects.filter(
            person=OuterRef(field),
            term__organization=OuterRef("organization"),
            term__elected_on__lte=date(year, 12, 31),
        ).exclude(Exists(replaced))
    )


KINDS = (gettext_lazy("支委之间"), gettext_lazy("支委与党员"), gettext_lazy("党员之间"))


def _kind(t: Talk) -> int:
    """The three kinds of 支部工作条例 art. 19 (委员之间, 委员和党员之间, 党员和党员之间), as an index of ``KINDS``."""
    return 2 - int(bool(t.talker_on_committee)) - int(bool(t.talkee_on_committee))


def _follow_up(t: Talk, year: int) -> str:
    text = (t.follow_up or "").strip()
    if t.follow_up_due:
        due = _("（%(day)s前）") % {"day": _day(t.follow_up_due, year)}
        return f"{text}{due}" if text else _("跟进期限%(day)s") % {"day": _day(t.follow_up_due, year)}
    return text or "—"


def _times_rule(organization: Organization, on: date) -> tuple[int | None, str]:
    """The yearly number of talks a member is owed (``talks.min_per_member_per_year``) and, before the rule, why
    there is none."""
    try:
        return rule_store.table(TALKS_RULES, organization).value("talks.min_per_member_per_year", on), ""
    except NoRuleInForce as exc:  # a period before the rule: the talks, and the sentence instead of coverage
        return None, exc.message


@dataclass(frozen=True)
class TalksPart(DocumentPart):
    """The year's talks of the organisation's subtree by branch and quarter (who with whom, the kind of talk, what
    was said, the follow-up), then each branch's coverage against the rule."""

    section: str = "talks"
    key: str = "talks.talks"
    title: Any = ""
    order: int = 10

    def talks(self, organization: Organization, period: Period):
        year = period.end.year
        return (
            Talk.objects.filter(
                organization__in=Organization.objects.subtree(organization.path),
                held_on__gte=period.start,
                held_on__lte=period.end,
            )
            .select_related("organization", "talker", "talkee")
            .annotate(
                talker_on_committee=_committee_member("talker", year),
                talkee_on_committee=_committee_member("talkee", year),
            )
            .order_by("organization__path", "held_on", "pk")
        )

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        """Adds the talks and the coverage to ``document`` (a python-docx Document). Three queries."""
        if self.title:
            paper.subheading(document, str(self.title))
        self.body(organization, period, document)

    def body(self, organization: Organization, period: Period, document: Any) -> None:
        year = period.end.year
        times, no_talks_rule = _times_rule(organization, period.end)
        talks = list(self.talks(organization, period))
        if not talks:
            paper.paragraph(document, _("本年度无谈心谈话记录。"))
        else:
            kinds = Counter(_kind(t) for t in talks)
            paper.paragraph(
                document,
                _("本年度共谈心谈话%(n)d次（%(kinds)s）。")
                % {"n": len(talks), "kinds": "，".join(f"{KINDS[k]}{kinds[k]}次" for k in sorted(kinds))},
            )
            branches: dict[int, list[Talk]] = {}
            for t in talks:
                branches.setdefault(t.organization_id, []).append(t)
            for branch_talks in branches.values():
                if len(branches) > 1:
                    p = paper.paragraph(document, branch_talks[0].organization.name)
                    p.runs[0].font.bold = True
                    p.paragraph_format.keep_with_next = True
                quarters: dict[int, list[Talk]] = {}
                for t in branch_talks:
                    quarters.setdefault((t.held_on.month - 1) // 3, []).append(t)
                for q, rows in quarters.items():
                    caption = paper.paragraph(
                        document, _("%(quarter)s（%(n)d次）") % {"quarter": QUARTERS[q], "n": len(rows)}
                    )
                    caption.paragraph_format.keep_with_next = True
                    paper.table(
                        document,
                        TALK_HEADERS,
                        [
                            (
                                _day(t.held_on, year),
                                t.talker.name,
                                t.talkee.name,
                                KINDS[_kind(t)],
                                t.topics,
                                _follow_up(t, year),
                            )
                            for t in rows
                        ],
                        widths=TALK_WIDTHS,
                        numeric=(0, 3),
                        split=True,
                    )
        memberships = Membership.objects.current().filter(
            organization__in=Organization.objects.subtree(organization.path)
        )
        if times is None:
            paper.paragraph(document, no_talks_rule)
            return
        coverage = talk_coverage(memberships, year, times)
        if coverage:
            paper.paragraph(document, _("各支部覆盖情况（每名党员每年至少谈心谈话%(n)d次）：") % {"n": times})
            paper.table(
                document,
                COVERAGE_HEADERS,
                [(r["organization__name"], r["members"], r["covered"], r["missing"]) for r in coverage],
                widths=COVERAGE_WIDTHS,
                numeric=(1, 2, 3),
            )

    def gaps(self, organization: Organization, period: Period) -> Iterable[LedgerGap]:
        """Per branch, the members not talked with as often as the rule asks (支部工作条例 art. 19: 每年一般不少于1次),
        when the rule is in force at the year's end. Two queries (the rule store, the members)."""
        times, _reason = _times_rule(organization, period.end)
        if times is None:
            return []
        year = period.end.year
        received = Talk.objects.filter(talkee=OuterRef("person"), held_on__year=year)
        counted = received.order_by().values("talkee").annotate(n=Count("id")).values("n")
        short = (
            Membership.objects.current()
            .filter(
                organization__in=Organization.objects.subtree(organization.path),
                started_on__lte=period.end,
                person__political_status__in=MEMBERS,
            )
            .annotate(n=Coalesce(Subquery(counted), 0))
            .filter(n__lt=times)
            .order_by("organization__path", "person__sort_key", "person__name", "pk")
            .values_list("organization_id", "organization__name", "person__name")
        )
        by_branch: dict[int, tuple[str, list[str]]] = {}
        for org_id, org_name, name in short:
            by_branch.setdefault(org_id, (org_name, []))[1].append(name)
        link = reverse("life:talk_create")
        return gaps_of(
            self.section,
            by_branch.values(),
            _("%(org)s：%(n)d名党员本年度谈心谈话不足%(times)d次（%(names)s）"),
            lambda branch: {"org": branch[0], "n": len(branch[1]), "times": times, "names": _first_names(branch[1])},
            lambda _branch: link,
            lambda _branch: period.end,
        )


def _first_names(names: list[str]) -> str:
    """The first few names of a gap's list, "等" after them when there are more."""
    return "、".join(names[:NAMES_SHOWN]) + (_("等") if len(names) > NAMES_SHOWN else "")


@dataclass(frozen=True)
class HoursPart(DocumentPart):
    """Each current party member's class hours — credited meetings plus study records — against the yearly
    minimum (党员教育管理工作条例 art. 20), fewest first."""

    section: str = "talks"
    key: str = "talks.hours"
    title: Any = gettext_lazy("党员学习学时")
    order: int = 20

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
        if self.title:
            paper.subheading(document, str(self.title))
        self.body(organization, period, document)

    def body(self, organization: Organization, period: Period, document: Any) -> None:
        year = period.end.year
        on = period.end
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


TALKS = TalksPart()
HOURS = HoursPart()
PARTS = (TALKS, HOURS)


def build(organization: Organization, period: Period) -> bytes:
    """The talks and the hours alone as a .docx in the party-document layout, titled with the organisation and the
    year."""
    document = paper.new_document()
    heading = _("%(org)s%(year)d年度谈心谈话与学习学时") % {"org": organization.name, "year": period.end.year}
    paper.title(document, heading)
    paper.heading(document, _("一、谈心谈话"))
    TALKS.body(organization, period, document)
    paper.heading(document, _("二、党员学习学时"))
    HOURS.body(organization, period, document)
    # the organisation that keeps the record signs it, dated the day it is printed (GB/T 9704 §7.3.5.1); the line
    # before it goes with it, so that no page holds the signature alone after a long table
    today = timezone.localdate()
    closing = paper.paragraph(document, _("以上情况统计截至%(day)s。") % {"day": paper.cn_date(min(today, period.end))})
    closing.paragraph_format.keep_with_next = True
    paper.signature(document, paper.party_name(organization.name), paper.cn_date(today))
    return paper.to_bytes(document)
