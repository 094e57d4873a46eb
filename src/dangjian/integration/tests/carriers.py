"""Small factories for the matrix tests: business lines, key tasks and one carrier of each column, written
directly (the matrix reads records; the pages that write them are tested by their own parts)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count

from django.utils import timezone

from dangjian.integration.models import (
    ActivityLink,
    BusinessLine,
    ContactPointLink,
    JointBuilding,
    ModelPost,
    Partner,
    Pledge,
    ProcessStage,
    Project,
    ResponsibilityZone,
    Taskforce,
    TaskforceMember,
)
from dangjian.meetings.models import Meeting
from dangjian.talks.models import ContactPoint

_n = count(1)
START = date(2026, 1, 10)


def line_with_stages(org, name: str = "计量校准服务", stages: tuple[str, ...] = ("需求受理", "实施")):
    n = next(_n)
    line = BusinessLine.objects.create(organization=org, code=f"L{n}", name=name, order=n)
    return line, [ProcessStage.objects.create(line=line, name=s, order=i) for i, s in enumerate(stages)]


def task(org, *, line=None, stage=None, name: str = "", starts_on: date = START, ends_on=None, key=True, joined=()):
    n = next(_n)
    p = Project.objects.create(
        code=f"K{n:04d}",
        name=name or f"重点任务{n}",
        organization=org,
        line=line,
        stage=stage,
        starts_on=starts_on,
        ends_on=ends_on,
        key=key,
    )
    if joined:
        p.organizations.add(*joined)
    return p


def model_post(org, user, holder, *, project=None, stage=None, status="approved", starts_on=START, **kw):
    return ModelPost.objects.create(
        organization=org,
        project=project,
        stage=stage,
        name=kw.pop("name", f"示范岗{next(_n)}"),
        holder=holder,
        duties="职责",
        commitment="承诺",
        status=status,
        applied_by=user,
        starts_on=starts_on,
        **kw,
    )


def zone(org, member, *, project=None, stage=None, starts_on=START, ends_on=None):
    return ResponsibilityZone.objects.create(
        organization=org,
        project=project,
        stage=stage,
        name=f"责任区{next(_n)}",
        member=member,
        area="范围",
        commitments="承诺",
        starts_on=starts_on,
        ends_on=ends_on,
    )


def taskforce(org, user, *, kind="commando", project=None, stage=None, people=(), starts_on=START, status="active"):
    team = Taskforce.objects.create(
        organization=org,
        project=project,
        stage=stage,
        kind=kind,
        name=f"突击队{next(_n)}",
        mission="任务",
        created_by=user,
        starts_on=starts_on,
        status=status,
    )
    for i, person in enumerate(people):
        TaskforceMember.objects.create(
            taskforce=team, person=person, role="captain" if i == 0 else "member", joined_on=starts_on
        )
    return team


def pledge(org, person, *, year=2026, project=None, stage=None, status="approved", fulfilment=""):
    return Pledge.objects.create(
        organization=org,
        person=person,
        year=year,
        project=project,
        stage=stage,
        promise="承诺",
        status=status,
        fulfilment=fulfilment,
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
    )


def joint(org, *, project=None, stage=None, starts_on=START):
    partner = Partner.objects.create(organization=org, name=f"共建单位{next(_n)}")
    return JointBuilding.objects.create(
        organization=org,
        partner=partner,
        project=project,
        stage=stage,
        title="共建协议",
        content="内容",
        starts_on=starts_on,
    )


def contact_link(org, leader, user, *, project=None, stage=None, since=START):
    point = ContactPoint.objects.create(leader=leader, organization=org, since=since)
    return ContactPointLink.objects.create(contact_point=point, project=project, stage=stage, linked_by=user)


def activity_link(org, user, *, project=None, stage=None, when: datetime | None = None, status="held"):
    when = when or timezone.make_aware(datetime(2026, 3, 5, 14, 0))
    meeting = Meeting.objects.create(
        organization=org,
        kind="theme_day",
        title="业务主题党日",
        starts_at=when,
        ends_at=when + timedelta(hours=2),
        status=status,
    )
    return ActivityLink.objects.create(meeting=meeting, project=project, stage=stage, linked_by=user)


def one_of_each(org, user, person, project=None, stage=None) -> dict:
    """One active carrier of each of the eight columns, of ``org``, on ``project`` (or ``stage``)."""
    where = {"project": project, "stage": stage}
    return {
        "model_post": model_post(org, user, person, **where),
        "responsibility_zone": zone(org, person, **where),
        "commando_team": taskforce(org, user, kind="commando", people=[person], **where),
        "tackling_team": taskforce(org, user, kind="tackling", people=[person], **where),
        "pledge": pledge(org, person, **where),
        "joint_building": joint(org, **where),
        "contact_point": contact_link(org, person, user, **where),
        "activity": activity_link(org, user, **where),
    }
