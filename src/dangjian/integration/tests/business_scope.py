"""The generic scope test's objects for the business pages: a key task answered for by branch1 (sec1 inside,
sec2 outside) with a milestone, and a business line of the root committee with a stage (their pages, and the
key task's edit and delete, are the committee office's: OFFICE_ONLY)."""

from __future__ import annotations

from datetime import date


def _line(world):
    from dangjian.integration.models import BusinessLine, ProcessStage

    t = world[0]
    line = BusinessLine.objects.filter(code="SCOPE-L").first()
    if line is None:
        line = BusinessLine.objects.create(organization=t.root, code="SCOPE-L", name="计量校准服务")
        ProcessStage.objects.create(line=line, name="需求受理", order=1)
    return line


def _project(world):
    from dangjian.integration.models import Milestone, Project

    t = world[0]
    project = Project.objects.filter(code="SCOPE-P").first()
    if project is None:
        line = _line(world)
        project = Project.objects.create(
            code="SCOPE-P", name="一支部攻关任务", organization=t.branch1, line=line, starts_on=date(2026, 1, 1)
        )
        Milestone.objects.create(project=project, name="方案评审", due_on=date(2026, 6, 30))
    return project


def object_for(world, name: str, param: str):
    t, p1 = world[0], world[1]
    if name.startswith("line_") or name == "stage_create":
        return _line(world).pk
    if name.startswith("stage_"):
        return _line(world).stages.order_by("pk").first().pk
    project = _project(world)
    if name.startswith("milestone_") and name != "milestone_add":
        return project.milestones.order_by("pk").first().pk
    if param == "org_pk":
        return t.branch1.pk
    if param == "person_pk":
        return p1.pk
    return project.pk
