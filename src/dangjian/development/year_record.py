"""The 发展党员 section of the ledger: the five registers a branch keeps of its development work and its members
(发展党员工作常用名册; the sixth, 党员组织关系转入转出名册, is the transfers app's, ``transfers.documents``).

- 入党申请人名册: everyone who was an applicant during the year (applied by its end, not yet an activist at its
  start), with the day of the application and of the talk (细则 第7条);
- 入党积极分子和发展对象名册: everyone who was an activist or a development candidate during the year, with their
  training contacts and sponsors;
- 党员名册: a compact reference of the members on the branch's rolls at the end of the year (or today, for the
  current year); the full roster is the ledger's 党员花名册;
- 新党员名册: those whom a branch members' meeting admitted in the year (细则 第22条), with the approval and the
  end of probation;
- 预备党员转正名册: the year's conversions (第29–31条), extensions of probation (第32条) and cancellations.

Step dates come from each case's own rule version. Gaps: cases with a step past its deadline, probationary
members whose probation has ended without the branch meeting on their conversion. Each register reads the year's
cases in four queries (cases, steps, contacts, extensions) whatever their number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, LedgerGap, Period
from dangjian.core.lazytext import RuleError
from dangjian.core.ledger_parts import gaps_of, missed_by, overdue_gaps
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, MembershipStatus
from dangjian.people.models.membership import EndCause
from dangjian.rules import services as rule_store

from .models import (
    CaseStatus,
    Contact,
    ContactRole,
    Development,
    DevelopmentStage,
    ProbationCancellation,
    StepRecord,
)
from .rules import party_standing_starts, probation_end
from .steps import STEP_TABLES
from .timeline import rule_table

SECTION = "development"


@dataclass
class Case:
    """A case as the registers read it: its step dates by code, its contacts by role, its extensions."""

    dev: Development
    done: dict[str, date]
    contacts: dict[str, list[str]]
    extensions: list[Any]

    @property
    def person(self):
        return self.dev.person

    def contacts_of(self, role: str) -> str:
        return "、".join(self.contacts.get(role, ())) or "—"

    def probation_ends(self) -> date | None:
        admitted = self.done.get("admission_meeting")
        if admitted is None:
            return None
        try:
            months = [e.months for e in self.extensions]
            return probation_end(admitted, months, table=rule_table(self.dev)).on
        except RuleError:
            return None


def year_cases(organization: Organization, period: Period) -> list[Case]:
    """The cases of the organisation's branches under way in the year: opened by its end, and still open or with a
    step recorded in or after it (four queries)."""
    later = StepRecord.objects.filter(development=OuterRef("pk"), done_on__gte=period.start)
    contacts = Contact.objects.select_related("person").order_by("role", "id")
    rows = (
        Development.objects.filter(
            branch__in=Organization.objects.subtree(organization.path), started_on__lte=period.end
        )
        .filter(Q(status=CaseStatus.OPEN) | Exists(later))
        .select_related("person", "branch")
        .prefetch_related(
            Prefetch("steps", queryset=StepRecord.objects.order_by("number"), to_attr="all_steps"),
            Prefetch("contacts", queryset=contacts, to_attr="all_contacts"),
            "probation_extensions",
        )
        .order_by("branch__path", "started_on", "person__sort_key", "person__name", "pk")
    )
    out = []
    for dev in rows:
        table = STEP_TABLES[dev.rule_version]
        done = {table.by_number(s.number).code: s.done_on for s in dev.all_steps}
        contacts: dict[str, list[str]] = {}
        for c in dev.all_contacts:
            contacts.setdefault(c.role, []).append(c.person.name)
        out.append(Case(dev, done, contacts, list(dev.probation_extensions.all())))
    return out


def without_branch(headers: list, widths: tuple, numeric: tuple, rows: list) -> tuple[list, tuple, tuple, list]:
    """The register without its 党支部 column when every row is of the same branch (a branch's own ledger): the
    column would repeat the ledger's cover on every line and make each row two lines high."""
    col = next((i for i, h in enumerate(headers) if str(h) == str(_("党支部"))), None)
    if col is None or len({row[col] for row in rows}) != 1:
        return headers, widths, numeric, rows
    shift = tuple(i if i <= col else i - 1 for i in numeric if i != col + 1)
    return (
        [h for i, h in enumerate(headers) if i != col],
        tuple(w for i, w in enumerate(widths) if i != col),
        shift,
        [[v for i, v in enumerate(row) if i != col] for row in rows],
    )


def _sex(person) -> str:
    return person.get_sex_display() or "—"


def _in(day: date | None, period: Period) -> bool:
    return day is not None and period.start <= day <= period.end


def _before(day: date | None, limit: date) -> bool:
    """Recorded and on or before ``limit``."""
    return day is not None and day <= limit


def _by(day: date | None, limit: date) -> date | None:
    """``day`` if recorded on or before ``limit``: a register shows a step as it stood at the end of its year."""
    return day if _before(day, limit) else None


@dataclass(frozen=True)
class Column:
    """A register's column: its heading, its cell from one of the register's records in the year, and whether it is
    one of the short cells that ``paper`` centres (dates, sex, a stage: ``numeric``)."""

    header: Any
    cell: Callable[[Any, Period], Any]
    centred: bool = False


def _step(code: str) -> Callable[[Case, Period], str]:
    """The day of the case's step ``code``, when recorded by the end of the year."""
    return lambda c, period: paper.iso(_by(c.done.get(code), period.end))


def _contacts(role: str) -> Callable[[Case, Period], str]:
    return lambda c, _period: c.contacts_of(role)


# The columns that open the registers of cases (发展党员工作常用名册): who, and since when they applied.
CASE_COLUMNS = (
    Column(_("姓名"), lambda c, _period: c.person.name),
    Column(_("性别"), lambda c, _period: _sex(c.person), centred=True),
    Column(_("出生日期"), lambda c, _period: paper.iso(c.person.birth_date), centred=True),
    Column(_("学历"), lambda c, _period: c.person.get_education_display() or "—"),
    Column(_("党支部"), lambda c, _period: c.dev.branch.name),
    Column(_("递交入党申请书日期"), lambda c, _period: paper.iso(c.dev.started_on), centred=True),
)


class Register(DocumentPart):
    """A register of the 发展党员 section: its title as the part's subheading, then its table — one row per record
    of the year (``records``), one cell per column (``columns``, ``widths`` in mm) — or the words that say it is
    empty. The registers of cases read the year's cases and keep those ``takes`` accepts."""

    section: str = SECTION
    empty: Any = ""
    columns: tuple[Column, ...] = ()
    widths: tuple[int, ...] = ()

    @rule_store.holding()
    def render(self, organization: Organization, period: Period, document: Any) -> None:
        if self.title:
            paper.subheading(document, str(self.title))
        headers, widths, numeric, rows = self.table(organization, period)
        if not rows:
            paper.paragraph(document, str(self.empty))
            return
        headers, widths, numeric, rows = without_branch(headers, widths, numeric, rows)
        numbered = [[n, *row] for n, row in enumerate(rows, start=1)]
        draw = paper.wide_table if self.landscape else paper.table
        draw(document, [str(_("序号")), *map(str, headers)], numbered, widths=(10, *widths), numeric=(0, *numeric))
        paper.paragraph(document, str(_("共%(n)d人。")) % {"n": len(rows)})

    def table(self, organization: Organization, period: Period) -> tuple[list, tuple, tuple, list]:
        """The headers, widths, centred columns (counted from 1: the 序号 column comes first) and rows."""
        rows = [[col.cell(record, period) for col in self.columns] for record in self.records(organization, period)]
        numeric = tuple(n for n, col in enumerate(self.columns, start=1) if col.centred)
        return [col.header for col in self.columns], self.widths, numeric, rows

    def records(self, organization: Organization, period: Period) -> Iterable[Any]:
        return [c for c in year_cases(organization, period) if self.takes(c, period)]

    def takes(self, case: Case, period: Period) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class ApplicantsRegister(Register):
    key: str = "development.applicants"
    title: Any = _("入党申请人名册")
    order: int = 10
    empty: Any = _("本年度无入党申请人记录。")
    columns = (
        *CASE_COLUMNS,
        Column(_("谈话日期"), _step("talk_with_applicant"), centred=True),
        Column(_("确定为入党积极分子日期"), _step("confirm_activist"), centred=True),
    )
    widths = (15, 8, 20, 20, 24, 21, 20, 23)

    def takes(self, case: Case, period: Period) -> bool:
        """Not yet an activist at the start of the year."""
        activist = case.done.get("confirm_activist")
        return activist is None or activist >= period.start

    def gaps(self, organization: Organization, period: Period) -> list[LedgerGap]:
        """Open cases with a step past its deadline (by the end of the year, and before today)."""
        open_cases = Development.objects.filter(
            branch__in=Organization.objects.subtree(organization.path), status=CaseStatus.OPEN
        ).select_related("person", "branch")
        return overdue_gaps(
            SECTION,
            open_cases,
            "next_due_on",
            period,
            _("%(name)s（%(branch)s）发展党员步骤已超期，期限%(due)s%(step)s"),
            lambda dev: {
                "name": dev.person.name,
                "branch": dev.branch.name,
                "due": paper.iso(dev.next_due_on),
                "step": _next_step(dev),
            },
            lambda dev: reverse("development:detail", args=[dev.pk]),
        )


def _next_step(dev: Development) -> str:
    """ "，下一步：第N步「…」" for a late case's gap, or nothing when its step is unknown to its rule version."""
    if not dev.next_step:
        return ""
    try:
        s = STEP_TABLES[dev.rule_version].by_number(dev.next_step)
    except KeyError:
        return ""
    return str(_("，下一步：第%(n)d步「%(name)s」")) % {"n": s.number, "name": s.name}


def _candidate(case: Case, period: Period) -> date | None:
    """The day the case became a development candidate, by the end of the year."""
    return _by(case.done.get("confirm_candidate"), period.end)


def _stage(case: Case, period: Period) -> str:
    """The case's stage at the end of the year."""
    if _before(case.done.get("upper_approval"), period.end):
        return str(DevelopmentStage.PROBATIONARY.label)
    if _candidate(case, period):
        return str(DevelopmentStage.CANDIDATE.label)
    return str(DevelopmentStage.ACTIVIST.label)


@dataclass(frozen=True)
class ActivistsRegister(Register):
    key: str = "development.activists"
    title: Any = _("入党积极分子和发展对象名册")
    order: int = 20
    landscape: bool = True
    empty: Any = _("本年度无入党积极分子和发展对象记录。")
    columns = (
        *CASE_COLUMNS,
        Column(_("确定为入党积极分子日期"), _step("confirm_activist"), centred=True),
        Column(_("培养联系人"), _contacts(ContactRole.TRAINING_CONTACT)),
        Column(_("确定为发展对象日期"), _step("confirm_candidate"), centred=True),
        Column(
            _("入党介绍人"),
            lambda c, period: c.contacts_of(ContactRole.SPONSOR) if _candidate(c, period) else "—",
        ),
        Column(_("年末所处阶段"), _stage, centred=True),
    )
    widths = (16, 9, 20, 20, 28, 21, 23, 25, 21, 25, 20)

    def takes(self, case: Case, period: Period) -> bool:
        """An activist by the end of the year, not yet approved as a probationary member at its start."""
        approved = case.done.get("upper_approval")
        return _before(case.done.get("confirm_activist"), period.end) and not (
            approved is not None and approved < period.start
        )


def _rolls_day(period: Period) -> date:
    """The day whose rolls the members register lists: the end of the year, or today for the current year."""
    return min(period.end, timezone.localdate())


def _converted(m: Membership, period: Period) -> date | None:
    return _by(m.converted_on, _rolls_day(period))


def _member_kind(m: Membership, period: Period) -> str:
    """正式党员 or 预备党员 on the register's day (a conversion recorded later does not count)."""
    full = m.status == MembershipStatus.FULL and (m.converted_on is None or _converted(m, period) is not None)
    return str(MembershipStatus.FULL.label if full else MembershipStatus.PROBATIONARY.label)


@dataclass(frozen=True)
class MembersRegister(Register):
    key: str = "development.members"
    title: Any = _("党员名册")
    order: int = 30
    empty: Any = _("本年度无党员记录。")
    columns = (
        Column(_("姓名"), lambda m, _period: m.person.name),
        Column(_("性别"), lambda m, _period: _sex(m.person), centred=True),
        Column(_("党支部"), lambda m, _period: m.organization.name),
        Column(_("党员类别"), _member_kind, centred=True),
        Column(_("入党日期"), lambda m, _period: paper.iso(m.admitted_on), centred=True),
        Column(_("转正日期"), lambda m, period: paper.iso(_converted(m, period)), centred=True),
    )
    widths = (18, 10, 46, 22, 25, 25)

    def records(self, organization: Organization, period: Period) -> Iterable[Membership]:
        on = _rolls_day(period)
        return (
            Membership.objects.filter(
                organization__in=Organization.objects.subtree(organization.path), started_on__lte=on
            )
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
            .select_related("person", "organization")
            .order_by("organization__path", "person__sort_key", "person__name", "pk")
        )


@dataclass(frozen=True)
class NewMembersRegister(Register):
    key: str = "development.new_members"
    title: Any = _("新党员名册")
    order: int = 40
    landscape: bool = True
    empty: Any = _("本年度无新发展党员。")
    columns = (
        *CASE_COLUMNS,
        Column(_("支部大会通过日期"), _step("admission_meeting"), centred=True),
        Column(_("上级党委审批日期"), _step("upper_approval"), centred=True),
        Column(_("入党介绍人"), _contacts(ContactRole.SPONSOR)),
        Column(_("入党宣誓日期"), _step("oath"), centred=True),
        Column(_("预备期满日期"), lambda c, _period: paper.iso(c.probation_ends()), centred=True),
    )
    widths = (16, 9, 20, 20, 28, 21, 21, 21, 25, 21, 21)

    def takes(self, case: Case, period: Period) -> bool:
        """Admitted by a branch members' meeting in the year (细则 第22条)."""
        return _in(case.done.get("admission_meeting"), period)


@dataclass(frozen=True)
class Decision:
    """A line of the 预备党员转正名册: a conversion, an extension of probation or a cancellation."""

    name: str
    branch: str
    admitted: date | None
    ends: date | None
    action: str
    decided: date | None  # the branch meeting's day (a cancellation recorded only as a departure: its end)
    approved: date | None = None
    note: str = "—"


@dataclass(frozen=True)
class ConversionsRegister(Register):
    key: str = "development.conversions"
    title: Any = _("预备党员转正名册")
    order: int = 50
    landscape: bool = True
    empty: Any = _("本年度无预备党员转正、延长预备期或取消预备党员资格记录。")
    columns = (
        Column(_("姓名"), lambda d, _period: d.name),
        Column(_("党支部"), lambda d, _period: d.branch),
        Column(_("支部大会接收日期"), lambda d, _period: paper.iso(d.admitted), centred=True),
        Column(_("预备期满日期"), lambda d, _period: paper.iso(d.ends), centred=True),
        Column(_("处理"), lambda d, _period: d.action),
        Column(_("支部大会讨论日期"), lambda d, _period: paper.iso(d.decided), centred=True),
        Column(_("上级党委审批日期"), lambda d, _period: paper.iso(d.approved), centred=True),
        Column(_("转正时间或说明"), lambda d, _period: d.note),
    )
    widths = (16, 30, 23, 21, 30, 23, 23, 40)

    def records(self, organization: Organization, period: Period) -> list[Decision]:
        """The year's extensions of probation (第32条) and conversions (第29–31条), case by case, then the year's
        cancellations."""
        out = []
        for c in year_cases(organization, period):
            admitted = c.done.get("admission_meeting")
            ends = c.probation_ends()
            meeting, approved = c.done.get("conversion_meeting"), c.done.get("conversion_approval")
            name, branch = c.person.name, c.dev.branch.name
            for ext in c.extensions:
                if _in(ext.decided_on, period):
                    action = str(_("延长预备期%(n)d个月")) % {"n": ext.months}
                    note = str(_("延长后至%(day)s期满")) % {"day": paper.iso(ends)}
                    out.append(Decision(name, branch, admitted, ends, action, ext.decided_on, note=note))
            if _in(meeting, period) or _in(approved, period):
                starts = party_standing_starts(ends).on if ends and approved else None
                action = str(_("转为正式党员")) if approved else str(_("转正待上级党委审批"))
                note = paper.iso(starts)
                out.append(Decision(name, branch, admitted, ends, action, meeting, _by(approved, period.end), note))
        cancelled = (
            Membership.objects.filter(
                organization__in=Organization.objects.subtree(organization.path),
                end_cause=EndCause.CANCELLED,
                ended_on__range=(period.start, period.end),
            )
            .select_related("person", "organization")
            .order_by("ended_on", "pk")
        )
        cancelled = list(cancelled)
        # the branch meeting's and the committee's dates where the cancellation was recorded on the case (第34条):
        # the case's membership ended on the approval day; one recorded only as a departure (党员减少登记) has the
        # day the membership ended
        recorded = {
            (r.development.person_id, r.approved_on): r
            for r in ProbationCancellation.objects.filter(
                development__person__in=[m.person_id for m in cancelled]
            ).select_related("development")
        }
        for m in cancelled:
            label = str(EndCause.CANCELLED.label)
            r = recorded.get((m.person_id, m.ended_on))
            if r is not None:
                line = (m.person.name, m.organization.name, m.admitted_on, None, label, r.meeting_on, r.approved_on)
                out.append(Decision(*line, note=r.reason))
            else:
                ended = (m.person.name, m.organization.name, m.admitted_on, None, label, m.ended_on)
                out.append(Decision(*ended, note=m.end_reason or "—"))
        return out

    @rule_store.holding()
    def gaps(self, organization: Organization, period: Period) -> list[LedgerGap]:
        """Probationary members whose probation ended (by the end of the year, before today) and whose conversion the
        branch meeting has not discussed."""
        last = missed_by(period)
        late = [
            (c, ends)
            for c in year_cases(organization, period)
            if c.dev.status == CaseStatus.OPEN
            and {"admission_meeting", "upper_approval"} <= c.done.keys()
            and "conversion_meeting" not in c.done
            and (ends := c.probation_ends()) is not None
            and ends <= last
        ]
        return gaps_of(
            SECTION,
            late,
            _("%(name)s（%(branch)s）预备期已于%(day)s期满，支部大会尚未讨论其转正"),
            lambda item: {"name": item[0].person.name, "branch": item[0].dev.branch.name, "day": paper.iso(item[1])},
            lambda item: reverse("development:detail", args=[item[0].dev.pk]),
            lambda item: item[1],
        )


REGISTERS = (
    ApplicantsRegister(),
    ActivistsRegister(),
    MembersRegister(),
    NewMembersRegister(),
    ConversionsRegister(),
)
