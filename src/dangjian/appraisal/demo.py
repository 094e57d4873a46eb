"""Demo democratic appraisals (民主评议党员) for the demo institute, last year's and this year's.

Without them no branch had an appraisal and the 开展民主评议党员 leaf (fact ``appraisal.done``) scored 0 everywhere.
A branch appraises its members once a year (党员教育管理工作条例 第18条), here in the fourth quarter: self and mutual
review close about ten days before the branch's fourth-quarter members' meeting (党员大会) from the meeting
history, which confirms the grades. A branch that held no such meeting stays at 支委会提出等次; the persistently
weak branch (``demo.history.WEAK_BRANCH``) never gets past 民主测评. This year's appraisals are opened from
November on, and confirmed only where the meeting is already held on the reference day. Probationary members take
part without a grade; 优秀 stays under a third (``appraisal.excellent_share_max``). Mutual ratings are not made up.
Deterministic for a seed; dates from ``dangjian.demo.spec.reference_date()``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dangjian.accounts.models import User
from dangjian.demo.history import WEAK_BRANCH
from dangjian.demo.spec import reference_date
from dangjian.meetings.models import Meeting
from dangjian.meetings.models.meeting import HELD_STATUSES
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership

from .models import Appraisal, AppraisalStatus, Participant

TZ = ZoneInfo("Asia/Shanghai")
SELF_REVIEWS = (
    "一年来认真学习党的理论，按时参加组织生活，在科研任务中发挥了党员作用；不足是理论学习还不够深入。",
    "能够完成本职工作和支部安排的任务，按时交纳党费；今后要加强业务学习，更好服务型号任务。",
    "积极参加支部活动，带头承担急难险重任务；批评和自我批评开展得还不够。",
)


def generate_demo(seed: int) -> dict[str, int]:
    root = Organization.objects.filter(depth=1).order_by("path").first()
    office = User.objects.filter(username="office").first() or User.objects.order_by("pk").first()
    if root is None or office is None:
        return {}
    rng = random.Random(seed * 17 + 9)
    ref = reference_date()
    branches = list(
        Organization.objects.subtree(root).filter(kind="branch", dissolved_on__isnull=True).order_by("path")
    )
    members: dict[int, list[Membership]] = defaultdict(list)
    for m in Membership.objects.current().filter(organization__in=branches).order_by("person_id"):
        members[m.organization_id].append(m)
    years = [ref.year - 1] + ([ref.year] if ref.month >= 11 else [])
    confirming = _fourth_quarter_meetings(branches, years, ref)
    plans: list[tuple[Appraisal, datetime, list[Membership]]] = []
    for year in years:
        for branch in branches:
            roster = [m for m in members[branch.pk] if m.started_on is None or m.started_on <= date(year, 12, 31)]
            if not roster or (branch.name == WEAK_BRANCH and year == ref.year):
                continue  # the weak branch has not opened this year's
            meeting = confirming.get((branch.pk, year))
            opened = _at(meeting.starts_at.date() - timedelta(days=rng.randint(25, 40)) if meeting else None, year)
            appraisal = Appraisal(organization=branch, year=year, created_by=office)
            if branch.name == WEAK_BRANCH:
                appraisal.status, appraisal.review_closed_at = AppraisalStatus.VOTING, opened + timedelta(days=14)
            elif meeting is not None:
                appraisal.status, appraisal.confirmed_meeting = AppraisalStatus.CONFIRMED, meeting
                appraisal.review_closed_at = meeting.starts_at - timedelta(days=rng.randint(7, 12))
                appraisal.confirmed_at = meeting.starts_at + timedelta(hours=2)
            elif year < ref.year:
                appraisal.status, appraisal.review_closed_at = AppraisalStatus.PROPOSED, opened + timedelta(days=14)
            plans.append((appraisal, opened, roster))
    appraisals = Appraisal.objects.bulk_create([a for a, _o, _r in plans])
    for appraisal, opened, _roster in plans:  # bulk_create stamps "now": the rows keep the days they stand for
        appraisal.created_at = opened
        appraisal.updated_at = appraisal.confirmed_at or appraisal.review_closed_at or opened
    Appraisal.objects.bulk_update(appraisals, ["created_at", "updated_at"])
    entries = [e for a, _o, roster in plans for e in _participants(rng, a, roster)]
    Participant.objects.bulk_create(entries, batch_size=2000)
    return {"appraisal.Appraisal": len(appraisals), "appraisal.Participant": len(entries)}


def _fourth_quarter_meetings(
    branches: list[Organization], years: list[int], ref: date
) -> dict[tuple[int, int], Meeting]:
    """Each branch's last members' meeting held from October to the year's end (and by the reference day)."""
    found: dict[tuple[int, int], Meeting] = {}
    meetings = Meeting.objects.filter(
        organization__in=branches,
        kind="members_meeting",
        status__in=HELD_STATUSES,
        starts_at__year__in=years,
        starts_at__month__gte=10,
    ).order_by("organization_id", "starts_at")
    for m in meetings:
        if m.starts_at.date() <= ref:
            found[(m.organization_id, m.starts_at.year)] = m
    return found


def _at(day: date | None, year: int) -> datetime:
    """The moment an appraisal was opened: ``day``, or early November of its year when no meeting sets it."""
    when = day or date(year, 11, 5)
    return datetime.combine(min(when, reference_date()), time(9), tzinfo=TZ)


def _participants(rng: random.Random, appraisal: Appraisal, roster: list[Membership]) -> list[Participant]:
    status = appraisal.status
    voted = status in (AppraisalStatus.PROPOSED, AppraisalStatus.CONFIRMED)
    graded = [m for m in roster if m.status == "full"]
    # 优秀 generally no more than a third of those appraised (appraisal.excellent_share_max): a quarter here
    excellent = set(rng.sample([m.person_id for m in graded], len(graded) // 4)) if voted else set()
    entries = []
    for m in roster:
        entry = Participant(appraisal=appraisal, person_id=m.person_id, graded=m.status == "full")
        if status != AppraisalStatus.OPEN and rng.random() < 0.9:
            entry.self_review = rng.choice(SELF_REVIEWS)
        if voted and entry.graded:
            grade = "excellent" if m.person_id in excellent else ("basic" if rng.random() < 0.02 else "qualified")
            voters = len(graded)
            share = rng.uniform(0.5, 0.8) if grade == "excellent" else rng.uniform(0, 0.2)
            entry.vote_excellent = int(voters * share)
            entry.vote_basic = int(voters * 0.3) if grade == "basic" else 0
            entry.vote_qualified = voters - entry.vote_excellent - entry.vote_basic
            entry.proposed_grade = grade
            entry.final_grade = grade if status == AppraisalStatus.CONFIRMED else ""
        entries.append(entry)
    return entries
