"""The timeline of one development case: for each step of its rule version, done / due / blocked / overdue / pending.

The checks come from ``rules``; this module only gathers the case's dates and people for them. ``gate`` judges
one step on one day: with ``data`` (a step being recorded) it also runs the checks that need the recorded facts
(the talk date, the training length, the approval date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dangjian.core.lazytext import N_, Message, RuleError
from dangjian.core.ruletable import NoRuleInForce
from dangjian.people.models import Membership
from dangjian.rules import services as rule_store

from . import rules
from .models import ProbationCancellation
from .rule_data import DEVELOPMENT_RULES
from .steps import STEP_TABLES, Step, StepTable

DONE, DUE, BLOCKED, OVERDUE, PENDING = "done", "due", "blocked", "overdue", "pending"
# The steps left when the probationary standing was cancelled (细则 第34条): nothing is due on them any more.
VOID = "void"
# msgids for the pages' {% translate %}, marked so that ``make messages`` extracts them
STATUS_LABELS = {
    DONE: gettext_noop("已完成"),
    DUE: gettext_noop("待办"),
    BLOCKED: gettext_noop("受阻"),
    OVERDUE: gettext_noop("已超期"),
    PENDING: gettext_noop("未开始"),
    VOID: gettext_noop("不再办理"),
}
STATUS_CLASSES = {DONE: "ok", DUE: "", BLOCKED: "late", OVERDUE: "late", PENDING: "", VOID: ""}
# A step in one of these needs no more work: the case's next step is the first step in neither.
SETTLED = (DONE, VOID)

# Development.stage after a step is done (the highest reached wins).
STAGE_AFTER = {"confirm_activist": "activist", "confirm_candidate": "candidate", "upper_approval": "probationary"}
STAGE_AFTER["conversion_approval"] = "converted"


@dataclass(frozen=True)
class StepStatus:
    step: Step
    status: str
    record: object | None = None
    earliest: date | None = None
    deadline: date | None = None
    check: rules.Check | None = None
    override: object | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def css(self) -> str:
        return STATUS_CLASSES[self.status]


def table_of(development) -> StepTable:
    return STEP_TABLES[development.rule_version]


def rule_table(development):
    """The case's numbers: the code table seen through the rule store, with its branch's overrides (the local
    rules such as the activist waiting period are the institute's to set). No query per case: the store is read
    once per request, and a branch path only when some version is an organisation's override."""
    return rule_store.table_for_org_id(DEVELOPMENT_RULES, development.branch_id)


def member_rows(person_ids) -> dict[int, tuple[str, date | None, date | None]]:
    """Current membership of each person: (status, 留党察看 from, until), one query."""
    ids = person_ids if isinstance(person_ids, QuerySet) else list(person_ids)
    rows = Membership.objects.current().filter(person_id__in=ids)
    return {
        pid: (status, start, until)
        for pid, status, start, until in rows.values_list(
            "person_id", "status", "discipline_probation_from", "discipline_probation_until"
        )
    }


def _under_discipline(row, on: date) -> bool:
    # 留党察看 until rights are restored (第14条 bars such a member from sponsoring); the restoring day is free
    _status, start, until = row
    return start is not None and start <= on and (until is None or on < until)


def _sponsor_infos(people, on: date, members: dict | None = None) -> list[rules.SponsorInfo]:
    people = list(people)
    if members is None:
        members = member_rows(p.pk for p in people)
    out = []
    for p in people:
        row = members.get(p.pk)
        out.append(
            rules.SponsorInfo(
                name=p.name,
                is_full_member=row is not None and row[0] == "full",
                on_party_probation=row is not None and _under_discipline(row, on),
                person_id=p.pk,
            )
        )
    return out


def sponsor_refusal(development, person, on: date) -> rules.Check | None:
    """Why ``person`` cannot be named 入党介绍人 of the case on ``on`` (细则 第14条), or None when they can."""
    check = rules.sponsor_eligible(_sponsor_infos([person], on)[0], on=on, table=rule_table(development))
    return check if check.blocked else None


def review_dates(development, records: dict) -> list[date]:
    """The activist's half-yearly reviews (第11条): the recorded ``ActivistReview`` dates, and the date of step
    "培养教育考察" (its documents include the 半年考察意见). ``bulk`` sets ``review_dates`` on its light rows."""
    dates = getattr(development, "review_dates", None)
    if dates is None:
        dates = development.activist_reviews.values_list("reviewed_on", flat=True)
    out = list(dates)
    step = table_of(development).by_code("train_and_review_activist")
    rec = records.get(step.number)
    if rec is not None and rec.done_on is not None:
        out.append(rec.done_on)
    return out


def extension_months(development) -> list[int]:
    """Months of the probation extension decided for the case (at most one, 第32条)."""
    months = getattr(development, "extension_months", None)
    if months is None:
        months = development.probation_extensions.values_list("months", flat=True)
    return list(months)


def cancellation_of(development):
    """The case's ``ProbationCancellation``, or None (one query, then cached on the case)."""
    try:
        return development.probation_cancellation
    except ProbationCancellation.DoesNotExist:
        return None


def _votes(data: dict) -> tuple:
    return (data.get("votes_due"), data.get("votes_present"), data.get("votes_yes"))


def _written_yes(data: dict) -> int:
    return data.get("votes_written_yes") or 0


# 细则 第19条: the steps of 接收预备党员 that decide on the admission — 预审, the branch meeting, the approval — are
# judged against the expected departure (一般不办理接收预备党员的手续).
LEAVING_CHECKED = ("upper_pre_review", "admission_meeting", "upper_approval")


def _first(*checks: rules.Check | None) -> rules.Check | None:
    """Of several checks on one step: the first blocked one, else the first warning, else the first."""
    found = [c for c in checks if c is not None]
    for wanted in (lambda c: c.blocked, lambda c: c.warning, lambda c: True):
        hit = next((c for c in found if wanted(c)), None)
        if hit is not None:
            return hit
    return None


def gate(
    development, step: Step, on: date, records: dict, contacts, data: dict | None = None, members: dict | None = None
) -> rules.Check | None:
    """The check that decides whether ``step`` may be recorded on ``on``; None when the step has none.

    ``members`` (from ``member_rows``) spares a query per case when many cases are judged at once.
    """
    code = step.code

    def done_on(c: str) -> date | None:
        rec = records.get(table_of(development).by_code(c).number)
        return rec.done_on if rec else None

    t = rule_table(development)
    try:
        if code == "submit_application":
            return rules.age_ok(development.person.birth_date, development.started_on, table=t)
        if code == "confirm_activist":
            return rules.activist_wait_ok(done_on("submit_application") or development.started_on, on, table=t)
        if code == "assign_training_contacts":
            people = [c.person for c in contacts if c.role == "training_contact"]
            return rules.training_contacts_ok(_sponsor_infos(people, on, members), on=on, table=t)
        if code == "confirm_candidate" and done_on("confirm_activist"):
            year = rules.activist_year_done(done_on("confirm_activist"), on, table=t)
            if year.blocked:
                return year
            return rules.reviews_ok(done_on("confirm_activist"), on, review_dates(development, records), table=t)
        if code == "conversion_meeting" and done_on("admission_meeting"):
            # 预备期满 (第32条) before the branch meeting may discuss the conversion (第33条)
            ends = rules.probation_end(done_on("admission_meeting"), extension_months(development), table=t)
            if on < ends.on:
                reason = Message(
                    N_("预备期未满，不能讨论转正：%(probation)s，%(on)s 起方可讨论"), probation=ends.reason, on=ends.on
                )
                return rules.Check(False, reason, ends.citation, ends.rule_key, ends.is_regulation)
        if code == "assign_sponsors":
            people = [c.person for c in contacts if c.role == "sponsor"]
            return rules.sponsors_ok(_sponsor_infos(people, on, members), on=on, table=t)
        leaving = None
        if code in LEAVING_CHECKED:
            leaving = rules.pre_review_leave_ok(on, development.leaves_unit_on, table=t)
        late = None
        if code == "admission_meeting" and done_on("upper_pre_review"):
            late = rules.meeting_after_pre_review_ok(done_on("upper_pre_review"), on, table=t)
        if data is None:
            return _first(leaving, late)
        if code == "talk_with_applicant" and done_on("submit_application"):
            return rules.talk_in_time(done_on("submit_application"), on, table=t)
        if code == "intensive_training":
            return rules.training_ok(data.get("training_days"), data.get("training_hours"), on=on, table=t)
        if code == "admission_meeting":
            vote = rules.vote_passes(*_votes(data), written_yes=_written_yes(data), on=on, table=t)
            return _first(vote, leaving, late)
        if code == "conversion_meeting":
            return rules.vote_passes(*_votes(data), written_yes=_written_yes(data), on=on, table=t)
        if code == "upper_approval" and done_on("admission_meeting"):
            return _first(rules.approval_in_time(done_on("admission_meeting"), on, table=t), leaving)
        if leaving is not None:
            return leaving
        if code == "conversion_approval" and done_on("conversion_meeting"):
            return rules.conversion_approval_in_time(done_on("conversion_meeting"), on, table=t)
    except LookupError as exc:  # a date before the first rule version (e.g. far in the past): said in words
        return rules.Check(False, exc.message if isinstance(exc, NoRuleInForce) else str(exc), "", "rule_version", True)
    except ValueError as exc:
        if code in ("admission_meeting", "conversion_meeting"):
            return rules.Check(False, exc.message if isinstance(exc, RuleError) else str(exc), "", "vote", True)
        # a date before the step it is counted from: the services refuse it separately
        return None
    return None


def window(development, step: Step, records: dict, on: date | None = None) -> tuple[date | None, date | None]:
    """(earliest, deadline) of ``step``. ``on``: the day of the decision (the step's record, or today while it is
    open); an eligibility bound counted from the application (the local activist wait) is read by the rule version
    of that day, as the gate reads it — so a wait the office turns on today shows its earliest day today."""
    try:
        return _window(development, step, records, on)
    except LookupError:  # a date before the first rule version: no window (the gate says why)
        return (None, None)


def _window(development, step: Step, records: dict, on: date | None = None) -> tuple[date | None, date | None]:
    if step.interval is None:
        return (None, None)
    if step.interval.after == "submit_application":
        # the application date is known from the start
        rule_on = on if step.interval.min_key and on is not None and on >= development.started_on else None
        return rules.step_window(step, development.started_on, on=rule_on, table=rule_table(development))
    after = records.get(table_of(development).by_code(step.interval.after).number)
    if after is None:
        return (None, None)
    if step.code == "conversion_meeting":  # not before the end of probation, extension included (第32条)
        return (
            rules.probation_end(after.done_on, extension_months(development), table=rule_table(development)).on,
            None,
        )
    return rules.step_window(step, after.done_on, table=rule_table(development))


def timeline(
    development, today: date, *, records=None, contacts=None, overrides=None, members=None, open_only=False
) -> list[StepStatus]:
    """Every step's status on ``today``; ``open_only`` leaves out the done steps (the bulk status needs no more)."""
    if records is None:
        records = {r.number: r for r in development.steps.all()}
    if contacts is None:
        contacts = list(development.contacts.select_related("person"))
    if overrides is None:
        overrides = list(development.overrides.select_related("by"))
    by_code = {o.step_code: o for o in overrides}  # the latest one wins (ordered by time)
    cancelled = cancellation_of(development) is not None
    out: list[StepStatus] = []
    next_found = False
    for step in table_of(development):
        rec = records.get(step.number)
        if rec is not None and open_only:
            continue
        if rec is None and cancelled:  # 取消预备党员资格 ended the case: the conversion steps are not done
            out.append(StepStatus(step, VOID, None, None, None, None, by_code.get(step.code)))
            continue
        earliest, deadline = window(development, step, records, rec.done_on if rec is not None else today)
        override = by_code.get(step.code)
        if rec is not None:
            out.append(StepStatus(step, DONE, rec, earliest, deadline, None, override))
            continue
        check = None
        if not next_found:
            next_found = True
            check = gate(development, step, today, records, contacts, members=members)
            if check is not None and check.blocked and override is None:
                out.append(StepStatus(step, BLOCKED, None, earliest, deadline, check, override))
                continue
            status = OVERDUE if deadline and today > deadline else DUE
        else:
            status = OVERDUE if deadline and today > deadline else PENDING
        out.append(StepStatus(step, status, None, earliest, deadline, check, override))
    return out


def next_due(items: list[StepStatus]) -> tuple[int | None, date | None]:
    """The next step to record and the nearest deadline among the steps not yet done."""
    open_items = [i for i in items if i.status not in SETTLED]
    if not open_items:
        return (None, None)
    deadlines = [i.deadline for i in open_items if i.deadline]
    return (open_items[0].step.number, min(deadlines) if deadlines else None)


@dataclass(frozen=True)
class Summary:
    """A case at a glance: its next step, the nearest deadline and one status (overdue > blocked > due)."""

    next: StepStatus | None
    deadline: date | None
    status: str
    overdue: StepStatus | None = None
    due_item: StepStatus | None = None  # the open step whose deadline is ``deadline``

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def css(self) -> str:
        return STATUS_CLASSES[self.status]

    @property
    def reason(self) -> str:
        if self.status == OVERDUE and self.overdue is not None:
            step = self.overdue.step
            return _("第%(number)s步「%(name)s」期限 %(deadline)s 已过") % {
                "number": step.number,
                "name": step.name,
                "deadline": self.overdue.deadline,
            }
        if self.next is not None and self.next.check is not None and self.next.check.blocked:
            return f"{self.next.check.reason}（{self.next.check.citation}）"
        return ""


def summarize(items: list[StepStatus], today: date) -> Summary:
    open_items = [i for i in items if i.status not in SETTLED]
    if not open_items:
        return Summary(None, None, DONE)
    deadlines = [i.deadline for i in open_items if i.deadline]
    # a blocked next step whose deadline has passed is overdue as well
    overdue = next((i for i in open_items if i.deadline and today > i.deadline), None)
    first = open_items[0]
    status = OVERDUE if overdue else (BLOCKED if first.status == BLOCKED else DUE)
    due_item = min((i for i in open_items if i.deadline), key=lambda i: i.deadline, default=None)
    return Summary(first, min(deadlines) if deadlines else None, status, overdue, due_item)


def stage_for(records: dict, table: StepTable) -> str:
    stage = "applicant"
    for step in table:
        if step.number in records and step.code in STAGE_AFTER:
            stage = STAGE_AFTER[step.code]
    return stage
