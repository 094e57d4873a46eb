"""Demo transfers and lost-contact members for the demo institute, dated from ``dangjian.demo.spec.reference_date()``.

Every state appears: inside transfers waiting to be sent, waiting to be accepted, accepted (membership moved),
refused and cancelled; outgoing letters sent, received (membership ended), returned and expired (one past its
validity with no receipt yet, so the secretary is reminded); incoming letters waiting and accepted (person and
membership created). Lost contact: one member just past 6 months, one suspended over 2 years ago, one being
looked for, one restored. Rows go in with ``bulk_create`` and are consistent with the rules.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from dangjian.accounts.models import User
from dangjian.demo.flagship import SECRETARY_BRANCH
from dangjian.demo.names import NameMaker
from dangjian.demo.spec import reference_date
from dangjian.development.models import Contact, Development
from dangjian.development.periods import add_months
from dangjian.idgen import make_id_number
from dangjian.orgs.models import CommitteePost, Organization
from dangjian.people.models import EndCause, Membership, Person, StartCause
from dangjian.people.models.membership import RIGHTS_STOPPED_REASON

from .models import (
    ContactAttempt,
    Decision,
    Direction,
    LetterCounter,
    LostContact,
    TrackingStatus,
    Transfer,
    TransferEvent,
)
from .rules import letter_valid_until

S = "requested", "sent", "received", "rejected", "cancelled", "expired"
OUTSIDE = ("中共北京大学委员会", "中共某市科学技术局机关委员会", "中共某研究院委员会", "中共某街道社区委员会")
DAY = timedelta(days=1)

# (direction, final state, days before the reference day it was requested, days from request to sending/closing, and
# whether the demo secretary's branch sends ("from_home") or receives ("to_home") it, so that account has work)
PLAN = [
    ("inside", "requested", 5, 0, "from_home"),
    ("inside", "sent", 12, 2, "to_home"),
    ("inside", "received", 90, 7, ""),
    ("inside", "received", 200, 10, ""),
    ("inside", "rejected", 60, 5, ""),
    ("inside", "cancelled", 40, 3, ""),
    ("out", "requested", 3, 0, ""),
    ("out", "sent", 20, 1, ""),
    ("out", "sent", 130, 2, "from_home"),  # letter past its 3-month validity, no receipt: an alert
    ("out", "received", 150, 3, ""),
    ("out", "rejected", 100, 4, ""),
    ("out", "expired", 300, 2, ""),
    ("in", "sent", 10, 0, "to_home"),
    ("in", "received", 70, 0, ""),
    ("in", "rejected", 45, 0, ""),
]


def _candidates(root: Organization) -> list[Membership]:
    """Current members of the institute, long enough in their branch, not demo account holders or office holders."""
    excluded = set(User.objects.exclude(person_id=None).values_list("person_id", flat=True))
    excluded |= set(CommitteePost.objects.values_list("person_id", flat=True))
    # the development demo's new members, sponsors and contacts stay on the roster as its cases have them
    excluded |= set(Development.objects.values_list("person_id", flat=True))
    excluded |= set(Contact.objects.values_list("person_id", flat=True))
    qs = (
        Membership.objects.current()
        .filter(
            organization__in=Organization.objects.subtree(root), started_on__lt=reference_date() - timedelta(days=400)
        )
        .select_related("person", "organization")
        .order_by("id")
    )
    return [m for m in qs if m.person_id not in excluded]


def generate_demo(seed: int) -> dict[str, int]:
    root = Organization.objects.filter(depth=1).order_by("path").first()
    user = User.objects.filter(username="office").first() or User.objects.order_by("pk").first()
    if root is None or user is None:
        return {}
    rng = random.Random(seed)
    pool = _candidates(root)
    branches = list(Organization.objects.subtree(root).filter(kind="branch").order_by("path"))
    if len(pool) < len(PLAN) + 6 or len(branches) < 2:
        return {}
    rng.shuffle(pool)
    home = next((b for b in branches if b.name == SECRETARY_BRANCH), branches[0])
    builder = _Builder(rng, user, branches)
    for direction, state, ago, gap, role in PLAN:
        requested = reference_date() - ago * DAY
        if direction == "in":
            builder.incoming(state, requested, home if role == "to_home" else None)
        else:
            m = _take(pool, home, role)
            builder.outgoing(m, direction, state, requested, gap, home if role == "to_home" else None)
    lost_counts = _lost_contact([_take(pool, home, "from_home")] + pool, user)
    return {**builder.save(), **lost_counts}


def _take(pool: list[Membership], home: Organization, role: str) -> Membership:
    """The next member of the pool, from the secretary's branch or from another one as the role asks."""
    for i in range(len(pool) - 1, -1, -1):
        in_home = pool[i].organization_id == home.pk
        if (role == "from_home") == in_home:
            return pool.pop(i)
    return pool.pop()


class _Builder:
    def __init__(self, rng: random.Random, user, branches: list[Organization]):
        self.rng, self.user, self.branches = rng, user, branches
        self.names = NameMaker(rng)
        self.transfers: list[Transfer] = []
        self.events: list[list[tuple[str, str, date, str]]] = []
        self.letters: dict[int, int] = {}
        self.ended: list[Membership] = []
        self.started: list[Membership] = []
        self.people: list[Person] = []
        self.new_people_for: list[tuple[Transfer, Person]] = []

    def _letter(self, t: Transfer, on: date) -> None:
        self.letters[on.year] = self.letters.get(on.year, 0) + 1
        t.letter_year, t.letter_seq, t.valid_until = on.year, self.letters[on.year], letter_valid_until(on)

    def outgoing(self, m: Membership, direction: str, state: str, requested: date, gap: int, to=None) -> None:
        p, branch = m.person, m.organization
        inside = direction == Direction.INSIDE
        to_org = (to or self.rng.choice([b for b in self.branches if b.pk != branch.pk])) if inside else None
        to_name = to_org.name if inside else self.rng.choice(OUTSIDE)
        t = Transfer(
            direction=direction, status=state, person=p, name=p.name, sex=p.sex, id_number=p.id_number,
            birth_date=p.birth_date, ethnicity=p.ethnicity, member_status=m.status, admitted_on=m.admitted_on,
            converted_on=m.converted_on, from_org=branch, from_name=branch.name, to_org=to_org, to_name=to_name,
            reason=self.rng.choice(["工作调动", "调离本所", "户籍迁移", "退休后迁居"]), requested_on=requested,
            created_by=self.user,
        )  # fmt: skip
        events = [("", "requested", requested, t.reason)]
        if state == "cancelled":
            t.closed_on, t.close_reason = requested + gap * DAY, "申请有误，重新申请"
            events.append(("requested", "cancelled", t.closed_on, t.close_reason))
        elif state != "requested":
            t.sent_on = requested + gap * DAY
            if not inside:
                self._letter(t, t.sent_on)
                t.dues_paid_to = date(t.sent_on.year, t.sent_on.month, 1) if self.rng.random() < 0.7 else None
            events.append(("requested", "sent", t.sent_on, t.letter_number and f"介绍信 {t.letter_number}"))
            closed = t.sent_on + gap * DAY
            if state == "received":
                t.closed_on = closed
                events.append(("sent", "received", closed, ""))
                m.ended_on, m.end_reason = closed, f"组织关系转至{to_name}"[:100]
                m.end_cause = EndCause.MOVED if inside else EndCause.TRANSFERRED_OUT
                self.ended.append(m)
                if inside:
                    self.started.append(
                        Membership(
                            person=p,
                            organization=to_org,
                            status=m.status,
                            applied_on=m.applied_on,
                            admitted_on=m.admitted_on,
                            converted_on=m.converted_on,
                            started_on=closed,
                            start_cause=StartCause.MOVED,
                        )  # fmt: skip
                    )
                    m.end_reason = f"组织关系转至{to_name}"[:100]
            elif state == "rejected":
                t.closed_on, t.close_reason = closed, "接收方核实该同志未在其单位工作"
                events.append(("sent", "rejected", closed, t.close_reason))
            elif state == "expired":
                t.closed_on = t.valid_until + DAY
                events.append(("sent", "expired", t.closed_on, "有效期内未收到回执"))
        self.transfers.append(t)
        self.events.append(events)

    def incoming(self, state: str, sent: date, to=None) -> None:
        n = len(self.transfers)
        birth = date(1975 + self.rng.randrange(25), 1 + self.rng.randrange(12), 1 + self.rng.randrange(28))
        sex = self.rng.choice("MF")
        number = make_id_number(birth, sex, serial=self.rng.randrange(500), region="370102")
        while Person.all_objects.filter(id_number=number).exists() or any(p.id_number == number for p in self.people):
            number = make_id_number(birth, sex, serial=self.rng.randrange(500), region="370102")
        branch = to or self.branches[n % len(self.branches)]
        status = "probationary" if state == "sent" else "full"
        t = Transfer(
            direction=Direction.IN, status=state, name=self.names.name(sex, birth.year), sex=sex,
            id_number=number, birth_date=birth, ethnicity="汉族", member_status=status,
            admitted_on=sent - timedelta(days=200 if status == "probationary" else 3000),
            from_name=self.rng.choice(OUTSIDE), to_org=branch, to_name=branch.name, reason="新入职",
            requested_on=sent, sent_on=sent, valid_until=letter_valid_until(sent),
            letter_ref=f"〔{sent.year}〕第{n + 31:04d}号",
            dues_paid_to=date(sent.year, sent.month, 1), created_by=self.user,
        )  # fmt: skip
        events = [("", "sent", sent, f"登记来函介绍信 {t.letter_ref}")]
        if state == "received":
            t.closed_on = sent + 6 * DAY
            events.append(("sent", "received", t.closed_on, ""))
            person = Person(
                name=t.name, sex=sex, id_number=number, birth_date=birth, ethnicity="汉族", political_status="member",
                department=branch.departments.order_by("pk").first(), phone=self.names.phone(), hire_date=t.closed_on,
            )  # fmt: skip
            self.people.append(person)
            self.new_people_for.append((t, person))
        elif state == "rejected":
            t.closed_on, t.close_reason = sent + 4 * DAY, "介绍信与档案信息不符，已请原组织更正"
            events.append(("sent", "rejected", t.closed_on, t.close_reason))
        self.transfers.append(t)
        self.events.append(events)

    def save(self) -> dict[str, int]:
        Membership.objects.bulk_update(self.ended, ["ended_on", "end_reason", "end_cause"])
        Person.objects.bulk_create(self.people)
        for t, person in self.new_people_for:
            t.person = person
            self.started.append(
                Membership(
                    person=person,
                    organization=t.to_org,
                    status=t.member_status,
                    admitted_on=t.admitted_on,
                    started_on=t.closed_on,
                    start_cause=StartCause.TRANSFERRED_IN,
                )  # fmt: skip
            )
        Membership.objects.bulk_create(self.started)
        Transfer.objects.bulk_create(self.transfers)
        events = [
            TransferEvent(transfer=t, from_status=a, to_status=b, on=on, note=note or "", by=self.user)
            for t, rows in zip(self.transfers, self.events, strict=True)
            for a, b, on, note in rows
        ]
        TransferEvent.objects.bulk_create(events)
        LetterCounter.objects.bulk_create([LetterCounter(year=y, last=n) for y, n in self.letters.items()])
        return {"transfers": len(self.transfers), "transfer_events": len(events), "transfer_people": len(self.people)}


def _lost_contact(members: list[Membership], user) -> dict[str, int]:
    """Just past 6 months; suspended over 2 years ago; looked for (4 months); suspended then restored; and, so that
    the statistics of the last full year and of this one both have a 停止党籍 and a 恢复党籍, one suspended this year
    and one restored in the middle of last year."""
    ref = reference_date()
    this_year = date(ref.year, 1, 1) + (ref - date(ref.year, 1, 1)) // 2
    last_june = date(ref.year - 1, 6, 15)
    specs = [
        (add_months(ref, -6) - 3 * DAY, TrackingStatus.TRACKING, None),
        (add_months(ref, -33), TrackingStatus.SUSPENDED, add_months(ref, -25)),
        (add_months(ref, -4), TrackingStatus.TRACKING, None),
        (add_months(ref, -2), TrackingStatus.CLOSED, add_months(ref, -12)),
        (add_months(this_year, -7), TrackingStatus.SUSPENDED, this_year),
        (last_june - 10 * DAY, TrackingStatus.CLOSED, add_months(last_june, -8)),
    ]
    cases, attempts, decisions, ended, restored = [], [], [], [], []
    members = list(members)
    for i, (last, status, suspended) in enumerate(specs):
        opened = last + 40 * DAY if status != TrackingStatus.CLOSED else add_months(suspended, -7) + 30 * DAY
        first_contact = last if status != TrackingStatus.CLOSED else add_months(suspended, -7)
        # the first goes to the secretary's branch; the others to members already in their branch back then
        m = members.pop(0) if i == 0 else next((x for x in members if x.started_on < first_contact), None)
        if m is None:
            break
        if i:
            members.remove(m)
        case = LostContact(
            person=m.person, branch=m.organization, status=status, opened_on=opened, last_contact_on=last,
            suspended_on=suspended, created_by=user,
        )  # fmt: skip
        cases.append(case)
        attempts.append((case, first_contact, "reported", True, "登记失联时填报的最后联系日期"))
        attempts.append((case, opened + 10 * DAY, "phone", False, "电话停机"))
        attempts.append((case, opened + 25 * DAY, "relatives", False, "亲属称已去外地，无联系方式"))
        if suspended:
            decisions.append((case, "suspend", suspended, "所党委", f"党委会议纪要〔{suspended.year}〕第8号"))
            # 停止党籍 ends the membership on the decision day, as ``lost.decide`` does
            m.ended_on, m.end_reason = max(suspended, m.started_on), RIGHTS_STOPPED_REASON
            m.end_cause = EndCause.SUSPENDED
            ended.append(m)
        if status == TrackingStatus.CLOSED:
            attempts.append((case, last, "phone", True, "本人主动来电，已在外地工作"))
            decisions.append((case, "restore", last + 10 * DAY, "所党委", f"党委会议纪要〔{last.year}〕第15号"))
            restored.append(_reopened(m, last + 10 * DAY))
    Membership.objects.bulk_update(ended, ["ended_on", "end_reason", "end_cause"])
    Membership.objects.bulk_create(restored)
    LostContact.objects.bulk_create(cases)
    ContactAttempt.objects.bulk_create(
        [ContactAttempt(case=c, on=on, method=me, reached=r, note=n, recorded_by=user) for c, on, me, r, n in attempts]
    )
    Decision.objects.bulk_create(
        [
            Decision(case=c, kind=k, decided_on=on, decided_by=by, document_ref=ref_, recorded_by=user)
            for c, k, on, by, ref_ in decisions
        ]
    )
    return {"lost_contacts": len(cases), "contact_attempts": len(attempts), "lost_contact_decisions": len(decisions)}


def _reopened(m: Membership, on: date) -> Membership:
    """The membership a restore decision (恢复党籍) opens: same branch and status, from the decision day."""
    return Membership(
        person=m.person, organization=m.organization, group=m.group, status=m.status, applied_on=m.applied_on,
        admitted_on=m.admitted_on, converted_on=m.converted_on, started_on=on, start_cause=StartCause.RESTORED,
    )  # fmt: skip
