"""The generic scope test's objects for the 支部共建, 联席 and link pages: a partner of branch1 with an agreement
and an activity, a 联席 at branch1, a held meeting and a contact point of branch1 each linked to a key task of
branch1 (inside sec1's scope, outside sec2's)."""

from __future__ import annotations

from datetime import date, timedelta


def _objects(world) -> dict[str, int]:
    from django.utils import timezone

    from dangjian.integration.models import (
        ActivityLink,
        ContactPointLink,
        JointActivity,
        JointBuilding,
        LeaderLiaison,
        Partner,
        Project,
    )
    from dangjian.meetings.models import Meeting
    from dangjian.talks.models import ContactPoint

    t, p1, p2, sec1, sec2, job1 = world
    partner = Partner.objects.filter(organization=t.branch1, name="共建高校").first()
    if partner is None:
        partner = Partner.objects.create(organization=t.branch1, name="共建高校", kind="university")
        project = Project.objects.create(
            code="JOINT-SCOPE-1", name="甲任务", organization=t.branch1, starts_on=date(2026, 1, 1)
        )
        agreement = JointBuilding.objects.create(
            organization=t.branch1,
            partner=partner,
            title="校所共建",
            content="联合攻关",
            starts_on=date(2026, 1, 1),
            project=project,
        )
        JointActivity.objects.create(
            joint_building=agreement, held_on=date(2026, 2, 1), title="联合党日", content="参观", created_by=sec1
        )
        LeaderLiaison.objects.create(
            leader=p1,
            organization=t.branch1,
            held_on=date(2026, 3, 1),
            topics="科研任务推进",
            follow_up="落实方案",
            follow_up_due=date(2026, 4, 1),
            created_by=sec1,
        )
        start = timezone.now() - timedelta(days=3)
        meeting = Meeting.objects.create(
            organization=t.branch1,
            kind="theme_day",
            title="主题党日进项目",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            status="held",
        )
        ActivityLink.objects.create(meeting=meeting, project=project, linked_by=sec1)
        point = ContactPoint.objects.filter(organization=t.branch1).first() or ContactPoint.objects.create(
            leader=p1, organization=t.branch1, since=date(2026, 1, 1)
        )
        ContactPointLink.objects.create(contact_point=point, project=project, linked_by=sec1)
    agreement = JointBuilding.objects.get(partner=partner)
    activity_link = ActivityLink.objects.get(meeting__organization=t.branch1, meeting__title="主题党日进项目")
    point_link = ContactPointLink.objects.filter(contact_point__organization=t.branch1).first()
    return {
        "partner": partner.pk,
        "joint": agreement.pk,
        "activity": agreement.activities.get().pk,
        "liaison": LeaderLiaison.objects.get(organization=t.branch1, topics="科研任务推进").pk,
        "meeting": activity_link.meeting_id,
        "point": point_link.contact_point_id,
        "project": activity_link.project_id,
        "activity_link": activity_link.pk,
        "point_link": point_link.pk,
    }


BY_NAME = {
    "joint_create": "partner",
    "joint_evidence_add": "activity",
    "link_meeting": "meeting",
    "link_contact_point": "point",
    "link_project": "project",
    "link_activity_remove": "activity_link",
    "link_contact_remove": "point_link",
}


def object_for(world, name: str, param: str):
    objects = _objects(world)
    if name in BY_NAME:
        return objects[BY_NAME[name]]
    first = name.split("_")[0]
    if first in objects:
        return objects[first]
    raise AssertionError(f"joint_scope cannot fill {param} of integration:{name}; teach it")
