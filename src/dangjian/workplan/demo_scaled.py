"""The yearly plans at the academy and group scales: each institute committee's 工作要点 for this year, lean.

Six of the demo's items per institute, each deployed to five of its branches (responsible: a full member), the
deadlines passed settled done on time, done late or left overdue, and one quarter's progress report each; so the
plan facts (completion and on-time rates) have material for every organisation. Runs after
``integration.demo_scaled`` (``generator.SCALED_APPS``); deterministic for a seed; dated no later than the
reference day.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from dangjian.accounts.models import User
from dangjian.demo.spec import reference_date
from dangjian.integration.demo import DOC
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership

from .demo import ITEMS, MEASURES
from .models import Deployment, DeploymentStatus, PlanItem, PlanStatus, ProgressReport, WorkPlan

BATCH = 5000
PER_ITEM = 5


def generate_scaled(seed: int) -> dict[str, int]:
    office = User.objects.filter(username="office").first()
    if office is None:
        return {}
    rng = random.Random(seed * 29 + 19)
    ref = reference_date()
    orgs = list(Organization.objects.filter(dissolved_on__isnull=True).order_by("path"))
    committees = [o for o in orgs if o.kind == "committee"]
    parents = {o.path[: -o.steplen] for o in committees}
    institutes = {c.path: c for c in committees if c.path not in parents}
    full: dict[int, list[int]] = defaultdict(list)
    for org_id, person_id in (
        Membership.objects.current()
        .filter(organization__kind="branch", status="full")
        .order_by("organization_id", "person_id")
        .values_list("organization_id", "person_id")
    ):
        full[org_id].append(person_id)
    branches: dict[int, list[Organization]] = defaultdict(list)
    for o in orgs:
        if o.kind == "branch" and full.get(o.pk):
            above = (institutes.get(o.path[: k * o.steplen]) for k in range(1, o.depth))
            inst = next((i for i in above if i is not None), None)
            if inst is not None:
                branches[inst.pk].append(o)
    plans = [
        WorkPlan(
            organization=inst,
            year=ref.year,
            title=f"{inst.name}{ref.year}年党建工作要点",
            status=PlanStatus.PUBLISHED,
            published_on=min(date(ref.year, 2, 18), ref),
            doc_no=f"{DOC}〔{ref.year}〕3号",
            created_by=office,
        )
        for inst in institutes.values()
    ]
    WorkPlan.objects.bulk_create(plans, batch_size=BATCH)
    chosen = [ITEMS[k] for k in (0, 2, 4, 5, 7, 10)]
    items = [
        PlanItem(plan=plan, order=n, category=category, title=title, content=content)
        for plan in plans
        for n, (category, title, content, _l, _t, _due) in enumerate(chosen, start=1)
    ]
    PlanItem.objects.bulk_create(items, batch_size=BATCH)
    by_plan = {p.pk: p for p in plans}
    rows = []
    for item in items:
        plan = by_plan[item.plan_id]
        month, day = chosen[item.order - 1][5]
        deadline = date(ref.year, month, day)
        pool = branches[plan.organization_id]
        for b in rng.sample(pool, min(len(pool), PER_ITEM)):
            d = Deployment(
                item=item,
                organization=b,
                responsible_id=full[b.pk][0],
                measure=rng.choice(MEASURES),
                deadline=deadline,
                deployed_by=office,
            )
            roll = rng.random()
            if deadline < ref and roll < 0.9:
                d.status = DeploymentStatus.DONE
                late = roll >= 0.7
                d.completed_on = min(deadline + timedelta(days=rng.randint(5, 30)), ref) if late else deadline
            rows.append(d)
    Deployment.objects.bulk_create(rows, batch_size=BATCH)
    quarter = (ref.month - 1) // 3  # the last quarter that ended
    reports = []
    if quarter:
        end = date(ref.year, 3 * quarter, 30 if quarter in (2, 3) else 31)
        reports = [
            ProgressReport(
                deployment=d,
                year=ref.year,
                quarter=quarter,
                percent=100 if d.completed_on and d.completed_on <= end else 25 * quarter,
                content="按计划推进。",
                reported_on=min(end + timedelta(days=5), ref),
                reported_by=office,
            )
            for d in rows
        ]
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    return {
        "workplan.WorkPlan": len(plans),
        "workplan.PlanItem": len(items),
        "workplan.Deployment": len(rows),
        "workplan.ProgressReport": len(reports),
    }
