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
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, MembershipStatus
from dangjian.people.models.membership import EndCause
from dangjian.rules import services as rule_store

from .models import CaseStatus, Contact, ContactRole, Development, DevelopmentStage, StepRecord
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


class Register(DocumentPart):
    """A register of the 发展党员 section: its title as the part's subheading, its table or the words that say it
    is empty."""

    section: str = SECTION
    empty: Any = ""

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

    def table(self, organization: Organization, period: Period) -> tuple[list, list, tuple, list]:
        raise NotImplementedError


@dataclass(frozen=True)
class ApplicantsRegister(Register):
    key: str = "development.applicants"
    title: Any = _("入党申请人名册")
    order: int = 10
    empty: Any = _("本年度无入党申请人记录。")

    def table(self, organization, period):
        headers = [_("姓名"), _("性别"), _("出生日期"), _("学历"), _("党支部"), _("递交入党申请书日期")]
        headers += [_("谈话日期"), _("确定为入党积极分子日期")]
        rows = []
        for c in year_cases(organization, period):
            activist = c.done.get("confirm_activist")
            if activist is not None and activist < period.start:
                continue
            p = c.person
            talk = c.done.get("talk_with_applicant")
            rows.append(
                [
                    p.name,
                    _sex(p),
                    paper.iso(p.birth_date),
                    p.get_education_display() or "—",
                    c.dev.branch.name,
                    paper.iso(c.dev.started_on),
                    paper.iso(talk if _before(talk, period.end) else None),
                    paper.iso(activist if _before(activist, period.end) else None),
                ]
            )
        return headers, (15, 8, 20, 20, 24, 21, 20, 23), (2, 3, 6, 7, 8), rows

    def gaps(self, organization: Organization, period: Period) -> list[LedgerGap]:
        """Open cases with a step past its deadline (by the end of the year, and before today)."""
        today = timezone.localdate()
        rows = Development.objects.filter(
            branch__in=Organization.objects.subtree(organization.path),
            status=CaseStatus.OPEN,
            next_due_on__lt=today,
            next_due_on__lte=period.end,
        )
        out = []
        for dev in rows.select_related("person", "branch").order_by("next_due_on", "pk"):
            step = ""
            if dev.next_step:
                try:
                    s = STEP_TABLES[dev.rule_version].by_number(dev.next_step)
                    step = str(_("，下一步：第%(n)d步「%(name)s」")) % {"n": s.number, "name": s.name}
                except KeyError:
                    step = ""
            text = str(_("%(name)s（%(branch)s）发展党员步骤已超期，期限%(due)s%(step)s")) % {
                "name": dev.person.name,
                "branch": dev.branch.name,
                "due": paper.iso(dev.next_due_on),
                "step": step,
            }
            out.append(LedgerGap(SECTION, text, reverse("development:detail", args=[dev.pk]), dev.next_due_on))
        return out


@dataclass(frozen=True)
class ActivistsRegister(Register):
    key: str = "development.activists"
    title: Any = _("入党积极分子和发展对象名册")
    order: int = 20
    landscape: bool = True
    empty: Any = _("本年度无入党积极分子和发展对象记录。")

    def table(self, organization, period):
        headers = [_("姓名"), _("性别"), _("出生日期"), _("学历"), _("党支部"), _("递交入党申请书日期")]
        headers += [
            _("确定为入党积极分子日期"),
            _("培养联系人"),
            _("确定为发展对象日期"),
            _("入党介绍人"),
            _("年末所处阶段"),
        ]
        rows = []
        for c in year_cases(organization, period):
            activist = c.done.get("confirm_activist")
            approved = c.done.get("upper_approval")
            if not _before(activist, period.end) or (approved is not None and approved < period.start):
                continue
            candidate = c.done.get("confirm_candidate")
            candidate = candidate if _before(candidate, period.end) else None
            if _before(approved, period.end):
                stage = DevelopmentStage.PROBATIONARY.label
            elif candidate:
                stage = DevelopmentStage.CANDIDATE.label
            else:
                stage = DevelopmentStage.ACTIVIST.label
            p = c.person
            rows.append(
                [
                    p.name,
                    _sex(p),
                    paper.iso(p.birth_date),
                    p.get_education_display() or "—",
                    c.dev.branch.name,
                    paper.iso(c.dev.started_on),
                    paper.iso(activist),
                    c.contacts_of(ContactRole.TRAINING_CONTACT),
                    paper.iso(candidate),
                    c.contacts_of(ContactRole.SPONSOR) if candidate else "—",
                    str(stage),
                ]
            )
        widths = (16, 9, 20, 20, 28, 21, 23, 25, 21, 25, 20)
        return headers, widths, (2, 3, 6, 7, 9, 11), rows


@dataclass(frozen=True)
class MembersRegister(Register):
    key: str = "development.members"
    title: Any = _("党员名册")
    order: int = 30
    empty: Any = _("本年度无党员记录。")

    def table(self, organization, period):
        on = min(period.end, timezone.localdate())
        rows = (
            Membership.objects.filter(
                organization__in=Organization.objects.subtree(organization.path), started_on__lte=on
            )
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
            .select_related("person", "organization")
            .order_by("organization__path", "person__sort_key", "person__name", "pk")
        )
        out = []
        for m in rows:
            converted = m.converted_on if _before(m.converted_on, on) else None
            full = m.status == MembershipStatus.FULL and (m.converted_on is None or converted is not None)
            status = MembershipStatus.FULL.label if full else MembershipStatus.PROBATIONARY.label
            out.append(
                [
                    m.person.name,
                    _sex(m.person),
                    m.organization.name,
                    str(status),
                    paper.iso(m.admitted_on),
                    paper.iso(converted),
                ]
            )
        headers = [_("姓名"), _("性别"), _("党支部"), _("党员类别"), _("入党日期"), _("转正日期")]
        return headers, (18, 10, 46, 22, 25, 25), (2, 4, 5, 6), out


@dataclass(frozen=True)
class NewMembersRegister(Register):
    key: str = "development.new_members"
    title: Any = _("新党员名册")
    order: int = 40
    landscape: bool = True
    empty: Any = _("本年度无新发展党员。")

    def table(self, organization, period):
        headers = [_("姓名"), _("性别"), _("出生日期"), _("学历"), _("党支部"), _("递交入党申请书日期")]
        headers += [_("支部大会通过日期"), _("上级党委审批日期"), _("入党介绍人"), _("入党宣誓日期"), _("预备期满日期")]
        rows = []
        for c in year_cases(organization, period):
            admitted = c.done.get("admission_meeting")
            if not _in(admitted, period):
                continue
            p = c.person
            approved = c.done.get("upper_approval")
            oath = c.done.get("oath")
            rows.append(
                [
                    p.name,
                    _sex(p),
                    paper.iso(p.birth_date),
                    p.get_education_display() or "—",
                    c.dev.branch.name,
                    paper.iso(c.dev.started_on),
                    paper.iso(admitted),
                    paper.iso(approved if _before(approved, period.end) else None),
                    c.contacts_of(ContactRole.SPONSOR),
                    paper.iso(oath if _before(oath, period.end) else None),
                    paper.iso(c.probation_ends()),
                ]
            )
        widths = (16, 9, 20, 20, 28, 21, 21, 21, 25, 21, 21)
        return headers, widths, (2, 3, 6, 7, 8, 10, 11), rows


@dataclass(frozen=True)
class ConversionsRegister(Register):
    key: str = "development.conversions"
    title: Any = _("预备党员转正名册")
    order: int = 50
    landscape: bool = True
    empty: Any = _("本年度无预备党员转正、延长预备期或取消预备党员资格记录。")

    def table(self, organization, period):
        headers = [_("姓名"), _("党支部"), _("支部大会接收日期"), _("预备期满日期"), _("处理")]
        headers += [_("支部大会讨论日期"), _("上级党委审批日期"), _("转正时间或说明")]
        rows = []
        for c in year_cases(organization, period):
            admitted = c.done.get("admission_meeting")
            ends = c.probation_ends()
            meeting, approved = c.done.get("conversion_meeting"), c.done.get("conversion_approval")
            for ext in c.extensions:
                if _in(ext.decided_on, period):
                    rows.append(
                        [
                            c.person.name,
                            c.dev.branch.name,
                            paper.iso(admitted),
                            paper.iso(ends),
                            str(_("延长预备期%(n)d个月")) % {"n": ext.months},
                            paper.iso(ext.decided_on),
                            "—",
                            str(_("延长后至%(day)s期满")) % {"day": paper.iso(ends)},
                        ]
                    )
            if _in(meeting, period) or _in(approved, period):
                starts = party_standing_starts(ends).on if ends and approved else None
                rows.append(
                    [
                        c.person.name,
                        c.dev.branch.name,
                        paper.iso(admitted),
                        paper.iso(ends),
                        str(_("转为正式党员")) if approved else str(_("转正待上级党委审批")),
                        paper.iso(meeting),
                        paper.iso(approved if _before(approved, period.end) else None),
                        paper.iso(starts) if starts else "—",
                    ]
                )
        cancelled = (
            Membership.objects.filter(
                organization__in=Organization.objects.subtree(organization.path),
                end_cause=EndCause.CANCELLED,
                ended_on__range=(period.start, period.end),
            )
            .select_related("person", "organization")
            .order_by("ended_on", "pk")
        )
        for m in cancelled:
            rows.append(
                [
                    m.person.name,
                    m.organization.name,
                    paper.iso(m.admitted_on),
                    "—",
                    str(EndCause.CANCELLED.label),
                    paper.iso(m.ended_on),
                    "—",
                    m.end_reason or "—",
                ]
            )
        widths = (16, 30, 23, 21, 30, 23, 23, 40)
        return headers, widths, (3, 4, 6, 7), rows

    @rule_store.holding()
    def gaps(self, organization: Organization, period: Period) -> list[LedgerGap]:
        """Probationary members whose probation ended (by the end of the year, before today) and whose conversion the
        branch meeting has not discussed."""
        today = timezone.localdate()
        out = []
        for c in year_cases(organization, period):
            if c.dev.status != CaseStatus.OPEN or "admission_meeting" not in c.done or "conversion_meeting" in c.done:
                continue
            if "upper_approval" not in c.done:
                continue
            ends = c.probation_ends()
            if ends is None or ends >= today or ends > period.end:
                continue
            text = str(_("%(name)s（%(branch)s）预备期已于%(day)s期满，支部大会尚未讨论其转正")) % {
                "name": c.person.name,
                "branch": c.dev.branch.name,
                "day": paper.iso(ends),
            }
            out.append(LedgerGap(SECTION, text, reverse("development:detail", args=[c.dev.pk]), ends))
        return out


REGISTERS = (
    ApplicantsRegister(),
    ActivistsRegister(),
    MembersRegister(),
    NewMembersRegister(),
    ConversionsRegister(),
)
