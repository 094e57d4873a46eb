"""The generic scope test's objects for the taskforce and pledge pages: a team of branch1 on a key task of branch1
with p1 on its roster (the office of the root forms, flags and disbands it: those pages are office-only; the
secretary of branch1 keeps its roster and reports), p1's own pledge (edit, submit) and another branch1 member's
submitted pledge (detail, approve, return, fulfilment)."""

from __future__ import annotations

from datetime import date


def _project(t):
    from dangjian.integration.models import Project

    project = Project.objects.filter(code="TEAM-SCOPE").first()
    return project or Project.objects.create(
        code="TEAM-SCOPE", name="精密测量攻关", organization=t.branch1, starts_on=date(2026, 1, 1)
    )


def team_of_branch1(world):
    from dangjian.integration.models import Taskforce, TaskforceMember

    t, p1, p2, sec1, sec2, job1 = world
    team = Taskforce.objects.filter(organization=t.branch1).first()
    if team is None:
        team = Taskforce.objects.create(
            organization=t.branch1,
            project=_project(t),
            kind="commando",
            name="精密测量突击队",
            mission="攻克关键测量技术",
            starts_on=date(2026, 1, 10),
            created_by=sec1,
        )
        TaskforceMember.objects.create(taskforce=team, person=p1, role="captain", joined_on=date(2026, 1, 10))
    return team


def pledge_of(world, own: bool):
    from dangjian.integration.models import Pledge
    from dangjian.testing import make_member

    t, p1, p2, sec1, sec2, job1 = world
    if own:
        person = p1
        status = "draft"
    else:
        person = Pledge.objects.filter(organization=t.branch1).exclude(person=p1).values_list("person", flat=True)
        person = person.first() or make_member(t.branch1, "丙三", department=t.dept1).pk
        status = "submitted"
    pledge = Pledge.objects.filter(person=person, year=2026).first()
    return pledge or Pledge.objects.create(
        organization=t.branch1,
        person_id=person if isinstance(person, int) else person.pk,
        year=2026,
        promise="带头攻关",
        status=status,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )


def object_for(world, name: str, param: str):
    if name.startswith("pledge_"):
        return pledge_of(world, own=name in ("pledge_edit", "pledge_submit")).pk
    team = team_of_branch1(world)
    if name == "taskforce_member_leave":
        return team.roster.order_by("pk").first().pk
    return team.pk
