from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from dangjian.audit.models import AuditEvent
from dangjian.integration import business as services
from dangjian.integration.models import BusinessLine, Project

from .business_world import make_world, project_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def test_office_creates_a_line_and_it_is_audited(w):
    line = services.save_line(w.office, {"organization": w.t.root, "code": "L9", "name": "检测认证与技术服务"})
    assert AuditEvent.objects.filter(object_id=str(line.pk), action="create").exists()


def test_secretary_may_not_keep_lines(w):
    with pytest.raises(ValidationError):
        services.save_line(w.sec1, {"organization": w.t.root, "code": "L9", "name": "x"})
    with pytest.raises(Http404):
        services.save_stage(w.sec1, w.line.pk, {"name": "交付", "order": 3})


def test_secretary_reads_the_lines_of_the_committee_above(w):
    assert set(services.lines_for(w.sec1)) == set(BusinessLine.objects.all())
    assert set(services.lines_for(w.member)) == set(BusinessLine.objects.all())


def test_project_dates_and_stage_must_agree(w):
    with pytest.raises(ValidationError) as exc:
        services.save_project(w.office, project_data(w, ends_on=date(2026, 1, 1)))
    assert "ends_on" in exc.value.message_dict
    other = BusinessLine.objects.get(code="L2")
    with pytest.raises(ValidationError) as exc:
        services.save_project(w.office, project_data(w, line=other, stage=w.stage))
    assert "stage" in exc.value.message_dict


def test_stage_alone_sets_its_line(w):
    p = services.save_project(w.office, project_data(w, line=None, stage=w.stage))
    assert p.line == w.line


def test_secretary_cannot_create_or_delete_projects(w):
    with pytest.raises(ValidationError):
        services.save_project(w.sec1, project_data(w))
    with pytest.raises(Http404):
        services.delete_project(w.sec1, w.project.pk, "误录")


def test_soft_delete_needs_a_reason_and_keeps_the_row(w):
    with pytest.raises(ValidationError):
        services.delete_project(w.office, w.project.pk, " ")
    services.delete_project(w.office, w.project.pk, "重复录入")
    assert not Project.objects.filter(pk=w.project.pk).exists()
    assert Project._base_manager.get(pk=w.project.pk).deleted_at is not None
    event = AuditEvent.objects.get(object_id=str(w.project.pk), action="delete")
    assert event.detail == {"reason": "重复录入"}


def test_secretary_links_organisations_and_people_of_own_project(w):
    services.add_person(w.sec1, w.project.pk, w.p3)
    assert list(w.project.people.all()) == [w.p3]
    with pytest.raises(ValidationError):
        services.add_person(w.sec1, w.project.pk, w.p2)  # another branch's member
    with pytest.raises(ValidationError):
        services.add_organization(w.sec1, w.project.pk, w.t.branch2)
    services.add_organization(w.office, w.project.pk, w.t.branch2)
    with pytest.raises(Http404):  # sec1 may not remove branch2, which is not theirs
        services.remove_organization(w.sec1, w.project.pk, w.t.branch2.pk)
    services.remove_person(w.sec1, w.project.pk, w.p3.pk)
    assert not w.project.people.exists()


def test_other_secretary_cannot_touch_the_project(w):
    with pytest.raises(Http404):
        services.add_person(w.sec2, w.project.pk, w.p2)
    with pytest.raises(Http404):
        services.add_milestone(w.sec2, w.project.pk, {"name": "x", "due_on": date(2026, 5, 1)})


def test_joined_project_is_seen_by_the_joining_branch(w):
    services.add_organization(w.office, w.project.pk, w.t.branch2)
    assert services.projects_for(w.sec2).filter(pk=w.project.pk).exists()


def test_member_sees_the_projects_they_work_on(w):
    assert not services.projects_for(w.member).exists()
    services.add_person(w.sec1, w.project.pk, w.p3)
    assert list(services.projects_for(w.member)) == [w.project]


def test_milestone_added_and_marked_done_once(w):
    m = services.add_milestone(w.sec1, w.project.pk, {"name": "方案评审", "due_on": date(2026, 5, 1)})
    services.milestone_done(w.sec1, m.pk, date(2026, 5, 2))
    m.refresh_from_db()
    assert m.done_on == date(2026, 5, 2)
    with pytest.raises(ValidationError):
        services.milestone_done(w.sec1, m.pk)
    with pytest.raises(Http404):
        services.milestone_done(w.sec2, m.pk)


def test_key_task_of_year(w):
    q = services.key_task_of_year(2026)
    assert Project.objects.filter(q).count() == 1
    assert not Project.objects.filter(services.key_task_of_year(2027)).exists()


def test_scope_fixture_gives_branch1_objects():
    from dangjian.testing import make_member, make_tree, make_user

    from . import scope_fixture

    t = make_tree()
    p1 = make_member(t.branch1, "甲一")
    world = (t, p1, None, make_user("s1", "secretary", t.branch1, person=p1), None, None)
    pk = scope_fixture.object_for(world, "project_detail", "pk")
    assert Project.objects.get(pk=pk).organization == t.branch1
    assert scope_fixture.object_for(world, "line_edit", "pk") == BusinessLine.objects.get(code="SCOPE-L").pk
    milestone = scope_fixture.object_for(world, "milestone_done", "pk")
    assert Project.objects.get(milestones__pk=milestone).pk == pk
