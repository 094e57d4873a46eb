"""Party work inside the business at the academy and group scales: proportionate, lean rows for every institute.

The apps' demos (``generator.DEMO_APPS``) run at the institute scale only, where the meeting history exists; at the
larger scales the generator calls ``generate_scaled`` instead (``generator.SCALED_APPS``), so the matrix, its facts
and their benchmark have material: per institute its four lines (codes prefixed with the institute's organisation
code) with five stages, about twenty key tasks owned by its branches (about 2,000 at the group scale), each with
three milestones; a model post in most working branches and a responsibility zone in many, two teams per institute
on its tasks, and this year's pledges of a fifth of the members (about 20,000 carriers at the group scale); with
``bulk_create``; deterministic for a seed; dated no later than the reference day.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from dangjian.accounts.models import User
from dangjian.demo.spec import reference_date
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership

from .demo import LINES, MILESTONES, POST_COMMITMENTS, POST_DUTIES, PROJECTS, PROMISES, ZONE_AREAS, ZONE_COMMITMENTS
from .models import (
    BusinessLine,
    Milestone,
    ModelPost,
    ModelPostStatus,
    Pledge,
    PledgeStatus,
    ProcessStage,
    Project,
    ProjectStatus,
    ResponsibilityZone,
    Taskforce,
    TaskforceKind,
    TaskforceMember,
    TaskforceRole,
)

BATCH = 5000
TASKS_PER_INSTITUTE = 20
PLEDGE_SHARE = 0.2


def generate_scaled(seed: int) -> dict[str, int]:
    office = User.objects.filter(username="office").first()
    if office is None:
        return {}
    rng = random.Random(seed * 23 + 17)
    ref = reference_date()
    orgs = list(Organization.objects.filter(dissolved_on__isnull=True).order_by("path"))
    committees = [o for o in orgs if o.kind == "committee"]
    parents = {o.path[: -o.steplen] for o in committees}
    institutes = [c for c in committees if c.path not in parents]  # committees with no committee below them
    by_path = {i.path: i for i in institutes}
    branches: dict[int, list[Organization]] = defaultdict(list)
    for o in orgs:
        if o.kind == "branch":
            above = (by_path.get(o.path[: k * o.steplen]) for k in range(1, o.depth))
            inst = next((i for i in above if i is not None), None)
            if inst is not None:
                branches[inst.pk].append(o)
    members: dict[int, list[tuple[int, str, int | None]]] = defaultdict(list)
    for org_id, person_id, status, dept_id in (
        Membership.objects.current()
        .filter(organization__kind="branch")
        .order_by("organization_id", "person_id")
        .values_list("organization_id", "person_id", "status", "person__department_id")
    ):
        members[org_id].append((person_id, status, dept_id))

    lines, stages = [], []
    for inst in institutes:
        for n, (code, name, _dept, text, steps) in enumerate(LINES, start=1):
            line = BusinessLine(organization=inst, code=f"{inst.code}-{code}", name=name, description=text, order=n)
            lines.append(line)
            stages += [ProcessStage(line=line, name=s, order=k) for k, (s, _d) in enumerate(steps, start=1)]
    BusinessLine.objects.bulk_create(lines, batch_size=BATCH)
    ProcessStage.objects.bulk_create(stages, batch_size=BATCH)
    stages_of: dict[int, list[ProcessStage]] = defaultdict(list)
    for s in stages:
        stages_of[s.line.organization_id].append(s)

    keys = [p for p in PROJECTS if p[7]]
    projects, milestones = [], []
    task_of: dict[int, Project] = {}
    for inst in institutes:
        working = [b for b in branches[inst.pk] if sum(1 for m in members[b.pk] if m[1] == "full") >= 3]
        line_of = {line.code.rsplit("-", 1)[1]: line for line in lines if line.organization_id == inst.pk}
        for n, b in enumerate(rng.sample(working, min(len(working), TASKS_PER_INSTITUTE)), start=1):
            name, kind, code, step, _dept, since, runs, _key = rng.choice(keys)
            starts = ref - timedelta(days=30 * since + rng.randint(0, 20))
            ends = starts + timedelta(days=30 * runs)
            leader, _s, dept = rng.choice([m for m in members[b.pk] if m[1] == "full"])
            status = ProjectStatus.PLANNED if since < 0 else ProjectStatus.DONE if ends < ref else ProjectStatus.ACTIVE
            p = Project(
                code=f"{inst.code}-{starts.year}-{n:03d}",
                name=name,
                kind=kind,
                line=line_of[code],
                stage=next(s for s in stages_of[inst.pk] if s.line is line_of[code] and s.order == step + 1),
                department_id=dept,
                leader_id=leader,
                organization=b,
                status=status,
                starts_on=starts,
                ends_on=ends,
            )
            projects.append(p)
            task_of[b.pk] = p
            for k, label in enumerate(MILESTONES[kind][::2], start=1):
                due = starts + timedelta(days=(ends - starts).days * k // 3)
                done = min(due, ref) if due <= ref and status != ProjectStatus.PLANNED else None
                milestones.append(Milestone(project=p, name=label, due_on=due, done_on=done, order=k))
    Project.objects.bulk_create(projects, batch_size=BATCH)
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)

    posts, zones, teams, roster, pledges = [], [], [], [], []
    last = ref.year - 1
    for inst in institutes:
        inst_stages = stages_of[inst.pk]
        inst_teams = 0
        for b in branches[inst.pk]:
            full = [m[0] for m in members[b.pk] if m[1] == "full"]
            if len(full) < 3:
                continue
            p = task_of.get(b.pk)
            if p is not None and p.status == ProjectStatus.PLANNED:
                p = None
            stage = None if p is not None else rng.choice(inst_stages)
            room = b.name.removesuffix("党支部")
            if rng.random() < 0.8:
                starts = date(last, rng.randint(3, 9), 1)
                posts.append(
                    ModelPost(
                        organization=b,
                        project=p,
                        stage=stage,
                        starts_on=starts,
                        name=f"{room}党员示范岗",
                        holder_id=rng.choice(full),
                        duties=rng.choice(POST_DUTIES),
                        commitment=rng.choice(POST_COMMITMENTS),
                        status=ModelPostStatus.APPROVED,
                        applied_by=office,
                        decided_on=starts + timedelta(days=12),
                        decided_by=office,
                        plate_no=f"{b.code}-{starts.year}",
                    )
                )
            if rng.random() < 0.7:
                zones.append(
                    ResponsibilityZone(
                        organization=b,
                        project=p,
                        stage=stage,
                        starts_on=date(last, 1, 1),
                        name=f"{room}党员责任区",
                        member_id=rng.choice(full),
                        area=rng.choice(ZONE_AREAS),
                        commitments=ZONE_COMMITMENTS,
                    )
                )
            if p is not None and p.starts_on <= ref and inst_teams < 2:
                inst_teams += 1
                team = Taskforce(
                    organization=b,
                    project=p,
                    kind=TaskforceKind.COMMANDO if inst_teams == 1 else TaskforceKind.TACKLING,
                    name=f"{p.name}党员{'突击队' if inst_teams == 1 else '攻关团队'}",
                    mission=f"围绕{p.name}攻坚克难，确保任务节点按期完成。",
                    starts_on=p.starts_on,
                    flag_presented_on=p.starts_on + timedelta(days=7),
                    created_by=office,
                )
                teams.append(team)
                for k, person in enumerate(rng.sample(full, min(len(full), 5))):
                    role = (
                        TaskforceRole.CAPTAIN
                        if k == 0
                        else TaskforceRole.VICE_CAPTAIN
                        if k == 1
                        else TaskforceRole.MEMBER
                    )
                    roster.append((team, TaskforceMember(person_id=person, role=role, joined_on=p.starts_on)))
            for person, _s, _d in members[b.pk]:
                if rng.random() < PLEDGE_SHARE:
                    submitted = min(date(ref.year, 2, rng.randint(1, 25)), ref)
                    pledges.append(
                        Pledge(
                            organization=b,
                            project=p,
                            stage=stage,
                            starts_on=date(ref.year, 1, 1),
                            ends_on=date(ref.year, 12, 31),
                            person_id=person,
                            year=ref.year,
                            promise=rng.choice(PROMISES),
                            status=PledgeStatus.APPROVED,
                            submitted_on=submitted,
                            reviewed_on=submitted,
                            reviewed_by=office,
                        )
                    )
    ModelPost.objects.bulk_create(posts, batch_size=BATCH)
    ResponsibilityZone.objects.bulk_create(zones, batch_size=BATCH)
    Taskforce.objects.bulk_create(teams, batch_size=BATCH)
    for team, row in roster:
        row.taskforce = team
    TaskforceMember.objects.bulk_create([r for _t, r in roster], batch_size=BATCH)
    Pledge.objects.bulk_create(pledges, batch_size=BATCH)
    return {
        "integration.BusinessLine": len(lines),
        "integration.Project": len(projects),
        "integration.Milestone": len(milestones),
        "integration.ModelPost": len(posts),
        "integration.ResponsibilityZone": len(zones),
        "integration.Taskforce": len(teams),
        "integration.TaskforceMember": len(roster),
        "integration.Pledge": len(pledges),
    }
