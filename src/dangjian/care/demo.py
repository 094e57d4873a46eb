"""Demo care rows for the demo institute: events in progress with their obligations (some closed in time, some
late, some open and overdue, assigned so the demo ``secretary`` and ``care`` users have items), last year's events
with their obligations all settled (so last year's assessment has obligations to measure), a few hardship
register entries with support, and practical-matter projects including the seed's enterprise annuity for
external (外聘) staff. Dates from ``dangjian.demo.spec.reference_date()``; deterministic for a seed."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from dangjian.accounts.models import User
from dangjian.demo.flagship import SECRETARY_BRANCH
from dangjian.demo.spec import reference_date
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person
from dangjian.rules.services import book as rule_book

from .assign import deadline, responsible_user
from .models import CareEvent, CareRule, HardshipEntry, Milestone, Obligation, PracticalMatter, Support
from .rule_terms import terms_on

EVENTS = 60
PAST_EVENTS = 120  # last year's, all settled
FORCED_KINDS = ("illness", "bereavement", "hardship", "post_change", "childbirth", "leave_return", "birthday")
OTHER_KINDS = (
    "illness",
    "marriage",
    "childbirth",
    "post_change",
    "new_hire",
    "retirement",
    "birthday",
    "holiday",
    "problem_signs",
    "family_burden",
    "long_leave",
)


def generate_demo(seed: int) -> dict[str, int]:
    root = Organization.objects.filter(depth=1).order_by("path").first()
    user = User.objects.filter(username="office").first() or User.objects.order_by("pk").first()
    if root is None or user is None:
        return {}
    rng = random.Random(seed)
    members = list(
        Membership.objects.current()
        .filter(organization__in=Organization.objects.subtree(root))
        .select_related("person", "organization")
        .order_by("person_id")
    )
    if not members:
        return {}
    counts = _events(rng, seed, root, members, user)
    counts.update(_hardship(rng, members, user))
    counts.update(_matters(rng, root, members, user))
    return counts


def _secretary_branch(root):
    sec = User.objects.filter(username="secretary").first()
    a = sec.assignments.active().select_related("organization").first() if sec else None
    return a.organization if a and a.organization_id else None


def _events(rng: random.Random, seed: int, root, members, user) -> dict[str, int]:
    sec_branch = _secretary_branch(root)
    own = [m for m in members if sec_branch and m.organization_id == sec_branch.pk]
    plan = [(rng.choice(own or members), kind) for kind in FORCED_KINDS]
    plan += [(rng.choice(members), rng.choice(OTHER_KINDS)) for _ in range(EVENTS - len(plan))]
    dated = [(m, kind, reference_date() - timedelta(days=rng.randint(0, 90))) for m, kind in plan]
    past_rng = random.Random(seed * 3 + 1)  # last year's own stream: this year's story stays as it was
    past = _last_year(past_rng, members)
    events = CareEvent.objects.bulk_create(
        CareEvent(
            person=m.person,
            kind=kind,
            occurred_on=occurred,
            branch=m.organization,
            department_id=m.person.department_id,
            recorded_by=user,
            description="",
        )
        for m, kind, occurred in (*dated, *past)
    )
    rules: dict[str, list[CareRule]] = {}
    for rule in CareRule.objects.order_by("kind", "id"):
        rules.setdefault(rule.trigger, []).append(rule)
    book = rule_book()
    who: dict[tuple[str, int], object] = {}
    obligations = []
    for i, event in enumerate(events):
        for rule in rules.get(event.kind, ()):
            terms = terms_on(book, rule, event.occurred_on)  # the list as it stood on the day of the event
            if terms is None or not terms.active:
                continue
            key = (rule.responsible, event.branch_id)
            if key not in who:
                who[key] = responsible_user(rule.responsible, event.branch)
            ob = Obligation(
                event=event,
                rule=rule,
                kind=rule.kind,
                responsible_role=rule.responsible,
                responsible_user=who[key],
                due_on=deadline(event.occurred_on, terms.deadline_days),
            )
            if i >= len(dated):
                _settle_past(past_rng, ob, event)
            else:
                _settle(rng, ob, event)
            obligations.append(ob)
    Obligation.objects.bulk_create(obligations)
    return {"care.CareEvent": len(events), "care.Obligation": len(obligations)}


def _settle(rng: random.Random, ob: Obligation, event: CareEvent) -> None:
    """Most obligations past their deadline were done in time, some late, about one in five still open."""
    if ob.due_on >= reference_date() and rng.random() < 0.7:
        return
    r = rng.random()
    if r < 0.2 and ob.due_on < reference_date():
        return  # open and overdue
    span = (ob.due_on - event.occurred_on).days
    done = event.occurred_on + timedelta(days=rng.randint(0, span))
    if r < 0.35:
        done = ob.due_on + timedelta(days=rng.randint(1, 10))
    if done > reference_date():
        return
    ob.status, ob.done_on, ob.done_by_id = "closed", done, None
    ob.what_done = {"ask": "电话问候，了解近况", "talk": "谈心谈话，做好思想工作", "visit": "登门看望慰问"}[ob.kind]
    ob.closed_by = ob.responsible_user


def _last_year(rng: random.Random, members) -> list[tuple[object, str, date]]:
    """Last year's events, spread over the year: the 关怀 leaf of last year's assessment has obligations to
    measure in many branches instead of none anywhere."""
    year = reference_date().year - 1
    days = (date(year, 12, 31) - date(year, 1, 1)).days
    return [
        (rng.choice(members), rng.choice(OTHER_KINDS), date(year, 1, 1) + timedelta(days=rng.randint(0, days)))
        for _ in range(PAST_EVENTS)
    ]


def _settle_past(rng: random.Random, ob: Obligation, event: CareEvent) -> None:
    """Last year's obligations are all closed by now: most in time, about one in six late; none late in the branch
    the assessment demo praises (上级表彰)."""
    span = (ob.due_on - event.occurred_on).days
    done = event.occurred_on + timedelta(days=rng.randint(0, span))
    if rng.random() < 0.15 and event.branch.name != SECRETARY_BRANCH:
        done = ob.due_on + timedelta(days=rng.randint(1, 10))
    ob.status, ob.done_on, ob.done_by_id = "closed", min(done, reference_date()), None
    ob.what_done = {"ask": "电话问候，了解近况", "talk": "谈心谈话，做好思想工作", "visit": "登门看望慰问"}[ob.kind]
    ob.closed_by = ob.responsible_user


def _hardship(rng: random.Random, members, user) -> dict[str, int]:
    chosen = rng.sample(members, min(4, len(members)))
    reasons = ("本人重病住院，医疗费用负担重", "配偶失业，子女就学", "家庭遭遇意外事故", "父母长期患病需照料")
    entries = HardshipEntry.objects.bulk_create(
        HardshipEntry(
            person=m.person,
            registered_on=reference_date() - timedelta(days=300 - 40 * i),
            reason=reasons[i],
            recorded_by=user,
        )
        for i, m in enumerate(chosen)
    )
    supports = []
    for e in entries:
        for j in range(rng.randint(1, 3)):
            supports.append(
                Support(
                    entry=e,
                    given_on=e.registered_on + timedelta(days=20 + 60 * j),
                    kind=rng.choice(("cash", "goods", "visit", "medical")),
                    amount=Decimal(rng.choice((500, 800, 1000, 2000, 3000))),
                    given_by=rng.choice(("所工会", "所党委", "支部")),
                    recorded_by=user,
                )
            )
    Support.objects.bulk_create(supports)
    return {"care.HardshipEntry": len(entries), "care.Support": len(supports)}


def _matters(rng: random.Random, root, members, user) -> dict[str, int]:
    # The year's matters start mid-January; a demo built early in the year shows last year's, whose four steps
    # (75 days apart) have all had their planned day by the reference day.
    start = date(reference_date().year, 1, 15)
    if start > reference_date() - timedelta(days=240):
        start = start.replace(year=start.year - 1)
    year = start.year
    tree = Person.objects.filter(department__isnull=False)
    external = tree.filter(employment="external").count()
    contract = tree.filter(employment="contract").count()
    owner = members[0].person
    branches = sorted({m.organization for m in members}, key=lambda o: o.path)
    spec = [
        (
            "为外聘职工建立企业年金",
            root,
            external,
            "外聘职工",
            "done",
            "为外聘职工建立企业年金，提高退休后待遇水平，营造公平公正的用工环境。",
        ),
        (
            "重大基础疾病风险筛查与一对一服务",
            root,
            tree.count(),
            "全体职工",
            "active",
            "根据体检数据开展心脑血管疾病和消化道肿瘤风险筛查，高风险人群优先检查。",
        ),
        ("合同制职工子女暑期托管", rng.choice(branches), contract, "合同制职工", "active", ""),
        ("科研一线夜班通勤班车", rng.choice(branches), 60, "一线科研人员", "planned", ""),
    ]
    matters = PracticalMatter.objects.bulk_create(
        PracticalMatter(
            title=t,
            year=year,
            organization=o,
            owner=owner,
            beneficiary_count=n,
            beneficiary_groups=g,
            status=s,
            description=d,
            recorded_by=user,
            evidence_reference="所党委会议纪要" if s == "done" else "",
        )
        for t, o, n, g, s, d in spec
    )
    steps = []
    for m in matters:
        for k, title in enumerate(("调研摸底", "方案审议通过", "组织实施", "总结评估")):
            planned = start + timedelta(days=75 * k)
            done = planned + timedelta(days=rng.randint(-5, 10))
            finished = m.status == "done" or (m.status == "active" and k < 2)
            steps.append(Milestone(matter=m, title=title, planned_on=planned, done_on=done if finished else None))
    Milestone.objects.bulk_create(steps)
    return {"care.PracticalMatter": len(matters), "care.Milestone": len(steps)}
