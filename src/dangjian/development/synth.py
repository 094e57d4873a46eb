"""Synthetic development cases that obey the rules, for the demo institute and the group-scale benchmark.

Each case gets a full schedule of the 25 step dates from its application date, spaced inside the windows of
the rule table (talk within a month, activist after 6 months, candidate after a full year, meeting within a
month of the pre-review, approval within 3 months, conversion after a year); the steps dated up to the
reference day are recorded, and some cases stall a step or two earlier, which makes them due or overdue.
Stage, status, next step and deadline are then filled by ``bulk.refresh_all`` — the same logic as the pages.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .bulk import refresh_all
from .models import ActivistReview, Contact, Development, Override, StepRecord
from .periods import add_months, add_years
from .steps import STEPS_2014

BATCH = 2000
CODES = {s.number: s.code for s in STEPS_2014}


@dataclass
class Candidate:
    person_id: int
    branch_id: int
    birth_date: date


@dataclass
class Plan:
    """What to build; ``forced`` gives (done steps, day of the last done step) for the first cases."""

    count: int
    ref: date
    forced: list[tuple[int, date]] = field(default_factory=list)
    override_one: bool = True
    # the branch whose candidates take the forced situations first (the demo secretary's), so that its home page
    # shows cases due and overdue on regulation deadlines whatever local rules the office has switched on
    first_branch: int | None = None
    blocked_sponsor_every: int = 9  # every n-th case waiting for sponsors has only one


def schedule(applied: date, rng: random.Random) -> list[date]:
    """25 dates, one per step, each inside its rule window and never before the previous one."""
    d: dict[int, date] = {1: applied}
    d[2] = applied + timedelta(days=rng.randint(3, 27))
    # min-bound windows keep 3 days of slack, so that shifting a schedule by whole days keeps it valid
    d[3] = add_months(applied, 6) + timedelta(days=rng.randint(3, 90))
    d[4] = d[3] + timedelta(days=rng.randint(3, 20))
    d[5] = d[4] + timedelta(days=rng.randint(0, 10))
    d[6] = d[3] + timedelta(days=rng.randint(60, 170))
    d[7] = add_years(d[3], 1) + timedelta(days=rng.randint(3, 60))
    for n in (8, 9, 10, 11, 12, 13, 14):
        d[n] = d[n - 1] + timedelta(days=rng.randint(5, 25))
    d[15] = d[13] + timedelta(days=rng.randint(max(0, (d[14] - d[13]).days), 28))
    d[16] = d[15] + timedelta(days=rng.randint(5, 20))
    d[17] = d[15] + timedelta(days=rng.randint(25, 85))
    d[18] = d[17] + timedelta(days=rng.randint(3, 20))
    d[19] = d[18] + timedelta(days=rng.randint(0, 10))
    d[20] = d[19] + timedelta(days=rng.randint(0, 30))
    d[21] = d[20] + timedelta(days=rng.randint(30, 120))
    d[22] = max(d[21], add_years(d[15], 1) - timedelta(days=rng.randint(5, 25)))
    d[23] = add_years(d[15], 1) + timedelta(days=rng.randint(3, 25))
    d[24] = d[23] + timedelta(days=rng.randint(10, 80))
    d[25] = d[24] + timedelta(days=rng.randint(5, 30))
    out, last = [], applied
    for n in range(1, 26):
        last = max(last, d[n])
        out.append(last)
    return out


def _applied_for(done: int, last_on: date, rng: random.Random) -> tuple[date, list[date]]:
    """A schedule shifted by whole days so that step ``done`` falls on ``last_on`` (the application, if 0)."""
    dates = schedule(last_on, rng)
    delta = last_on - dates[done - 1] if done else timedelta(0)
    dates = [d + delta for d in dates]
    return dates[0], dates


def build(plan: Plan, candidates: list[Candidate], members: dict[int, list[int]], user, seed: int) -> dict[str, int]:
    """Create ``plan.count`` cases for ``candidates`` (adults without membership), contacts from ``members``.

    ``members``: branch id → person ids of its full members. Returns row counts.
    """
    rng = random.Random(seed)
    candidates = [c for c in candidates if len(members.get(c.branch_id, ())) >= 2]
    rng.shuffle(candidates)
    if plan.first_branch is not None:
        candidates.sort(key=lambda c: c.branch_id != plan.first_branch)  # stable: the shuffle stays within each part
    devs, steps_of, contacts_of = [], [], []
    overridden: int | None = None
    for i, cand in enumerate(candidates[: plan.count]):
        if i < len(plan.forced):
            done, last_on = plan.forced[i]
            applied, dates = _applied_for(done, last_on, rng)
        else:
            applied = plan.ref - timedelta(days=rng.randint(0, 365 * 4))
            dates = schedule(applied, rng)
            done = sum(1 for d in dates if d <= plan.ref)
            if done < 25 and rng.random() < 0.35:
                done = max(0, done - rng.randint(1, 2))  # a stalled case: its next deadline may pass
        if add_years(cand.birth_date, 18) > applied:
            continue
        if plan.override_one and overridden is None and done >= 8:
            # the office let one candidate through 10 months after becoming an activist (recorded override)
            dates[6] = max(dates[5], add_months(dates[2], 10))
            for n in range(7, 25):
                dates[n] = max(dates[n], dates[n - 1])
            done = sum(1 for d in dates[:done] if d <= plan.ref)
            overridden = len(devs)
        devs.append(
            Development(
                person_id=cand.person_id,
                branch_id=cand.branch_id,
                started_on=applied,
                rule_version="2014",
                created_by=user,
            )
        )
        steps_of.append(dates[:done])
        pool = members[cand.branch_id]
        people = rng.sample(pool, 2) if len(pool) >= 2 else []
        roles = []
        if done >= 4 and people:
            roles.append(("training_contact", people[0]))
        if done >= 8 and people:
            roles.append(("sponsor", people[0]))
            if done > 8 or len(devs) % plan.blocked_sponsor_every:
                roles.append(("sponsor", people[1]))
        contacts_of.append(roles)
    Development.objects.bulk_create(devs, batch_size=BATCH)
    records, contacts = [], []
    for dev, dates, roles in zip(devs, steps_of, contacts_of, strict=True):
        for n, on in enumerate(dates, start=1):
            extra = {}
            if n == 11:
                extra = {"training_days": Decimal(3), "training_hours": Decimal(24)}
            if n in (15, 23):
                due = rng.randint(8, 40)
                present = rng.randint(due // 2 + 1, due)
                extra = {"votes_due": due, "votes_present": present, "votes_yes": rng.randint(due // 2 + 1, present)}
            records.append(StepRecord(development=dev, number=n, code=CODES[n], done_on=on, recorded_by=user, **extra))
        contacts += [Contact(development=dev, person_id=pid, role=role) for role, pid in roles]
    StepRecord.objects.bulk_create(records, batch_size=BATCH)
    reviews = _reviews(devs, steps_of, plan.ref, user, random.Random(seed + 1))
    ActivistReview.objects.bulk_create(reviews, batch_size=BATCH)
    Contact.objects.bulk_create(contacts, batch_size=BATCH)
    overrides = []
    if overridden is not None:
        overrides.append(
            Override(
                development=devs[overridden],
                step_code="confirm_candidate",
                reason="科研任务需要，经所党委会研究同意提前列为发展对象（演示）",
                by=user,
            )
        )
        Override.objects.bulk_create(overrides)
    refresh_all(Development.objects.filter(pk__in=[d.pk for d in devs]), plan.ref)
    return {
        "development.Development": len(devs),
        "development.StepRecord": len(records),
        "development.Contact": len(contacts),
        "development.Override": len(overrides),
        "development.ActivistReview": len(reviews),
    }


def _reviews(devs, steps_of, ref: date, user, rng: random.Random) -> list[ActivistReview]:
    """Half-yearly reviews (第11条) of every case past step 6: from that step's date, one every 120–175 days (less
    than six months) up to the candidate date (or the reference day), so ``rules.reviews_ok`` holds on step 7."""
    out = []
    for dev, dates in zip(devs, steps_of, strict=True):
        if len(dates) < 6:
            continue
        end = dates[6] if len(dates) >= 7 else ref
        day = dates[5] + timedelta(days=rng.randint(120, 175))
        while day <= end:
            out.append(
                ActivistReview(development=dev, reviewed_on=day, summary="表现良好，继续培养（演示）", recorded_by=user)
            )
            day += timedelta(days=rng.randint(120, 175))
    return out


def gather(branches) -> tuple[list[Candidate], dict[int, list[int]]]:
    """Adults without a current membership in the departments each branch covers, and each branch's members."""
    from dangjian.orgs.models import Organization
    from dangjian.people.models import Membership, Person

    branch_ids = list(branches.filter(kind="branch").values_list("pk", flat=True))
    members: dict[int, list[int]] = defaultdict(list)
    rows = Membership.objects.current().filter(organization_id__in=branch_ids, status="full")
    for branch_id, person_id in rows.order_by("id").values_list("organization_id", "person_id"):
        members[branch_id].append(person_id)
    dept_branch: dict[int, int] = {}
    through = Organization.departments.through.objects.filter(organization_id__in=branch_ids)
    for org_id, dept_id in through.order_by("organization_id").values_list("organization_id", "department_id"):
        dept_branch.setdefault(dept_id, org_id)
    people = (
        Person.objects.filter(department_id__in=list(dept_branch), political_status__in=("masses", "league"))
        .order_by("id")
        .values_list("pk", "department_id", "birth_date")
    )
    candidates = [Candidate(pk, dept_branch[dept], born) for pk, dept, born in people]
    return candidates, dict(members)
