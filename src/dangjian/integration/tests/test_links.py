"""Links into the matrix: a held meeting or a contact point linked to exactly one key task or stage, once while
the link lives, removed (kept with its removal time) after a confirmation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.integration import links
from dangjian.integration.models import ActivityLink, BusinessLine, ContactPointLink, ProcessStage, Project
from dangjian.meetings.models import Meeting
from dangjian.talks.models import ContactPoint
from dangjian.testing import login_with_second_factor, make_member

pytestmark = pytest.mark.django_db


def _meeting(org, status="held", title="主题党日：走进计量装置研制一线"):
    start = timezone.now() - timedelta(days=2)
    return Meeting.objects.create(
        organization=org,
        kind="theme_day",
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=status,
    )


@pytest.fixture
def task(personas):
    return Project.objects.create(
        code="K-1", name="新型计量装置研制", organization=personas.tree.branch1, starts_on=date(2026, 1, 1)
    )


@pytest.fixture
def stage(personas):
    line = BusinessLine.objects.create(organization=personas.tree.root, code="L1", name="计量校准服务")
    return ProcessStage.objects.create(line=line, name="实施")


def test_a_held_meeting_is_linked_to_a_key_task_once(personas, task):
    meeting = _meeting(personas.tree.branch1)
    link = links.link_meeting(personas.secretary, meeting.pk, {"project": task})
    assert (link.meeting, link.project, link.stage) == (meeting, task, None)
    with pytest.raises(ValidationError) as exc:
        links.link_meeting(personas.secretary, meeting.pk, {"project": task})
    assert exc.value.messages == ["该活动已关联此重点任务或业务流程环节"]


def test_exactly_one_of_task_and_stage(personas, task, stage):
    meeting = _meeting(personas.tree.branch1)
    for data in ({}, {"project": task, "stage": stage}):
        with pytest.raises(ValidationError) as exc:
            links.link_meeting(personas.secretary, meeting.pk, data)
        assert "二者选其一" in exc.value.messages[0]
    assert links.link_meeting(personas.secretary, meeting.pk, {"stage": stage}).stage == stage


def test_a_planned_meeting_or_another_branchs_meeting_is_not_found(personas, task):
    with pytest.raises(Http404):
        links.link_meeting(personas.secretary, _meeting(personas.tree.branch1, status="planned").pk, {"project": task})
    with pytest.raises(Http404):
        links.link_meeting(personas.secretary, _meeting(personas.tree.branch2).pk, {"project": task})


def test_a_task_the_user_does_not_see_is_refused(personas):
    hidden = Project.objects.create(
        code="K-2", name="二支部任务", organization=personas.tree.branch2, starts_on=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        links.link_meeting(personas.secretary, _meeting(personas.tree.branch1).pk, {"project": hidden})
    assert exc.value.message_dict["project"] == ["该重点任务不在您的查看范围内"]


def test_unlinking_keeps_the_row_and_allows_a_new_link(personas, task):
    meeting = _meeting(personas.tree.branch1)
    link = links.link_meeting(personas.secretary, meeting.pk, {"project": task})
    links.unlink_meeting(personas.secretary, link.pk)
    assert ActivityLink.objects.get(pk=link.pk).removed_at is not None
    with pytest.raises(ValidationError) as exc:
        links.unlink_meeting(personas.secretary, link.pk)
    assert exc.value.messages == ["该关联已解除"]
    assert links.link_meeting(personas.secretary, meeting.pk, {"project": task}).pk != link.pk


def test_a_contact_point_is_linked_and_unlinked(personas, task):
    leader = make_member(personas.tree.office_branch, "所领导")
    point = ContactPoint.objects.create(leader=leader, organization=personas.tree.branch1, since=date(2026, 1, 1))
    link = links.link_contact_point(personas.secretary, point.pk, {"project": task})
    with pytest.raises(ValidationError) as exc:
        links.link_contact_point(personas.secretary, point.pk, {"project": task})
    assert exc.value.messages == ["该联系点已关联此重点任务或业务流程环节"]
    with pytest.raises(Http404):
        links.unlink_contact_point(personas.other_secretary, link.pk)
    links.unlink_contact_point(personas.secretary, link.pk)
    assert ContactPointLink.objects.get(pk=link.pk).removed_at is not None


def test_the_pages_link_list_and_unlink(client, personas, task):
    meeting = _meeting(personas.tree.branch1)
    login_with_second_factor(client, personas.secretary)
    url = reverse("integration:link_meeting", args=[meeting.pk])
    assert client.post(url, {"project": task.pk})["Location"] == url
    link = ActivityLink.objects.get()
    listing = client.get(reverse("integration:link_project", args=[task.pk])).content.decode()
    assert meeting.title in listing and reverse("integration:link_activity_remove", args=[link.pk]) in listing
    confirm = client.get(reverse("integration:link_activity_remove", args=[link.pk]))
    assert "确认解除" in confirm.content.decode()
    assert client.post(reverse("integration:link_activity_remove", args=[link.pk]))["Location"] == url
    assert ActivityLink.objects.get().removed_at is not None
    assert meeting.title not in client.get(reverse("integration:link_project", args=[task.pk])).content.decode()


def test_the_other_branchs_secretary_gets_404(client, personas, task):
    meeting = _meeting(personas.tree.branch1)
    link = links.link_meeting(personas.secretary, meeting.pk, {"project": task})
    login_with_second_factor(client, personas.other_secretary)
    for name, pk in (("link_meeting", meeting.pk), ("link_project", task.pk), ("link_activity_remove", link.pk)):
        assert client.get(reverse(f"integration:{name}", args=[pk])).status_code == 404, name


def test_the_links_of_a_task_keep_their_query_count(client, personas, task):
    login_with_second_factor(client, personas.secretary)
    url = reverse("integration:link_project", args=[task.pk])

    def add(i):
        links.link_meeting(personas.secretary, _meeting(personas.tree.branch1, title=f"活动{i}").pk, {"project": task})
        leader = make_member(personas.tree.office_branch, f"领导{i}")
        point = ContactPoint.objects.create(leader=leader, organization=personas.tree.branch1, since=date(2026, 1, 1))
        links.link_contact_point(personas.secretary, point.pk, {"project": task})

    add(0)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add(1)
    add(2)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert len(three) == len(one)
    assert len(response.context["activities"]) == 3 and len(response.context["points"]) == 3
