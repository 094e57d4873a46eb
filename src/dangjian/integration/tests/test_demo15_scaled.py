"""The lean rows the larger scales get (``integration.demo_scaled``), tried on the institute's tree without the apps."""

from __future__ import annotations

import pytest
from django.db import transaction

from dangjian.demo.generator import generate
from dangjian.demo.spec import FIXED_DATE, dated
from dangjian.integration.demo_scaled import generate_scaled
from dangjian.integration.models import BusinessLine, ModelPost, Pledge, Project, Taskforce
from dangjian.workplan.demo_scaled import generate_scaled as plans_scaled
from dangjian.workplan.models import Deployment, ProgressReport, WorkPlan

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def scaled(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), dated(FIXED_DATE):
        generate("institute", apps=False, on=FIXED_DATE)
        counts = generate_scaled(2026)
        counts.update(plans_scaled(2026))
        yield counts
        transaction.set_rollback(True)


def test_an_institute_gets_its_lines_twenty_tasks_and_carriers(scaled):
    assert scaled["integration.BusinessLine"] == BusinessLine.objects.count() == 4
    assert scaled["integration.Project"] == Project.objects.filter(key=True).count() == 20
    assert all(p.leader_id and p.department_id and p.stage.line_id == p.line_id for p in Project.objects.all())
    assert ModelPost.objects.count() >= 30 and Taskforce.objects.count() == 2
    assert not Pledge.objects.filter(submitted_on__gt=FIXED_DATE).exists()
    # branches without a task attach to a stage of a line
    assert ModelPost.objects.filter(project__isnull=True, stage__isnull=False).exists()


def test_the_institute_committee_gets_a_published_plan_with_deployments_in_several_states(scaled):
    plan = WorkPlan.objects.get()
    assert plan.status == "published" and plan.year == FIXED_DATE.year and plan.items.count() == 6
    assert scaled["workplan.Deployment"] == Deployment.objects.count() == 30
    rows = list(Deployment.objects.all())
    assert any(d.status == "done" and d.completed_on <= d.deadline for d in rows)
    assert any(d.status == "done" and d.completed_on > d.deadline for d in rows)
    assert any(d.status == "open" and d.deadline >= FIXED_DATE for d in rows)
    assert not any(d.completed_on and d.completed_on > FIXED_DATE for d in rows)
    assert ProgressReport.objects.filter(quarter=3).count() == 30
