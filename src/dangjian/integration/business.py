"""Writes for business lines, process stages and key tasks (issue 15 §1); each in one transaction, audited.

Who does what: the committee office (``integration.manage`` over the committee's subtree) keeps the lines and
stages and creates, edits, imports and deletes key tasks; a branch secretary (``integration.change``) keeps the
people and organisations working on the key tasks they maintain, and their milestones. Scope is re-checked
inside every write: a row outside the user's scope is "not found" (404), never "forbidden".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import can, scope_for
from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Membership, Person

from .models import BusinessLine, Milestone, ProcessStage, Project

VIEW = "integration.view"
CHANGE = "integration.change"
MANAGE = "integration.manage"

LINE_FIELDS = ("organization", "code", "name", "description", "department", "order")
STAGE_FIELDS = ("name", "order", "department")
PROJECT_FIELDS = (
    "code",
    "name",
    "kind",
    "key",
    "line",
    "stage",
    "department",
    "leader",
    "organization",
    "status",
    "starts_on",
    "ends_on",
    "description",
)


# --- reading -------------------------------------------------------------------------------------------------


def _ancestor_paths(paths: list[str]) -> set[str]:
    step = Organization.steplen
    out: set[str] = set()
    for path in paths:
        out.update(path[:k] for k in range(step, len(path) + 1, step))
    return out


def lines_for(user) -> QuerySet[BusinessLine]:
    """The business lines a user reads: those of the organisations in scope, and those of the committees above
    them (a branch works on the institute's four lines, which its committee keeps)."""
    scope = scope_for(user, VIEW)
    if scope.everything:
        return BusinessLine.objects.all()
    paths = list(scope.subtree_paths) + list(scope.exact_paths)
    if scope.person_ids:
        paths += list(
            Membership.objects.current()
            .filter(person_id__in=scope.person_ids)
            .values_list("organization__path", flat=True)
        )
    visible = BusinessLine.objects.visible_to(user, VIEW).values("pk")
    return BusinessLine.objects.filter(Q(pk__in=visible) | Q(organization__path__in=_ancestor_paths(paths)))


def stages_for(user) -> QuerySet[ProcessStage]:
    return ProcessStage.objects.filter(line__in=lines_for(user).values("pk"), line__deleted_at__isnull=True)


def projects_for(user, perm: str = VIEW) -> QuerySet[Project]:
    return Project.objects.visible_to(user, perm)


def overlaps_year(year: int) -> Q:
    """A task whose span overlaps the year: started by its end, not planned to end before its start."""
    return Q(starts_on__lte=date(year, 12, 31)) & (Q(ends_on__isnull=True) | Q(ends_on__gte=date(year, 1, 1)))


def key_task_of_year(year: int) -> Q:
    """A key task of year Y: key, alive, its span overlapping Y (BRIEF: shared definitions)."""
    return Q(key=True, deleted_at__isnull=True) & overlaps_year(year)


def committees_managed(user) -> QuerySet[Organization]:
    """The organisations a user may make answer for a line: the 党委 in their ``integration.manage`` scope."""
    return Organization.objects.visible_to(user, MANAGE).filter(kind=OrgKind.COMMITTEE).order_by("path")


def organizations_managed(user, perm: str = MANAGE) -> QuerySet[Organization]:
    return Organization.objects.visible_to(user, perm).active().exclude(kind=OrgKind.GROUP).order_by("path")


def can_manage(user, obj=None) -> bool:
    return can(user, MANAGE, obj)


def can_change_links(user, project: Project) -> bool:
    """The office and the secretaries of the project's organisations keep its people, organisations and
    milestones."""
    return can(user, CHANGE) and Project.objects.visible_to(user, CHANGE).filter(pk=project.pk).exists()


# --- business lines and stages -------------------------------------------------------------------------------


def _check(obj) -> None:
    obj.full_clean()


def save_line(user, data: dict[str, Any], line_id: int | None = None) -> BusinessLine:
    org = data.get("organization")
    if org is None or not can(user, MANAGE, org):
        raise ValidationError({"organization": _("只有党委办公室可以维护其管理范围内的主业")})
    with transaction.atomic():
        if line_id is None:
            line, before = BusinessLine(), None
        else:
            line = recheck(BusinessLine.objects.all(), user, MANAGE, line_id)
            before = snapshot(line)
        for name in LINE_FIELDS:
            if name in data:
                setattr(line, name, data[name])
        _check(line)
        line.save()
        record("create" if before is None else "update", line, before=before, after=snapshot(line))
    return line


def save_stage(user, line_id: int, data: dict[str, Any], stage_id: int | None = None) -> ProcessStage:
    with transaction.atomic():
        line = recheck(BusinessLine.objects.all(), user, MANAGE, line_id)
        if stage_id is None:
            stage, before = ProcessStage(line=line), None
        else:
            stage = ProcessStage.objects.select_for_update().filter(pk=stage_id, line=line).first()
            if stage is None:
                raise Http404(_("对象不存在"))
            before = snapshot(stage)
        for name in STAGE_FIELDS:
            if name in data:
                setattr(stage, name, data[name])
        _check(stage)
        stage.save()
        record("create" if before is None else "update", stage, before=before, after=snapshot(stage))
    return stage


# --- key tasks -----------------------------------------------------------------------------------------------


def check_project(project: Project) -> None:
    """What a key task's fields must agree on, whoever writes it (the form, the import)."""
    errors: dict[str, str] = {}
    if project.ends_on and project.starts_on and project.ends_on < project.starts_on:
        errors["ends_on"] = _("计划完成日期不能早于开始日期")
    if project.stage_id and project.line_id and project.stage.line_id != project.line_id:
        errors["stage"] = _("所选环节不属于所选主业")
    if project.stage_id and not project.line_id:
        project.line = project.stage.line
    if errors:
        raise ValidationError(errors)


def save_project(user, data: dict[str, Any], project_id: int | None = None) -> Project:
    """The office creates or edits a key task answered for by an organisation in its scope."""
    org = data.get("organization")
    if org is None or not can(user, MANAGE, org):
        raise ValidationError({"organization": _("只有党委办公室可以在其管理范围内维护重点任务")})
    with transaction.atomic():
        if project_id is None:
            project, before = Project(), None
        else:
            project = recheck(Project.objects.all(), user, MANAGE, project_id)
            before = snapshot(project)
        for name in PROJECT_FIELDS:
            if name in data:
                setattr(project, name, data[name])
        check_project(project)
        _check(project)
        project.save()
        record("create" if before is None else "update", project, before=before, after=snapshot(project))
    return project


def delete_project(user, project_id: int, reason: str) -> Project:
    """A key task entered by mistake leaves the lists; the row stays, the reason is in the audit log."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写删除原因")})
    with transaction.atomic():
        project = recheck(Project.objects.all(), user, MANAGE, project_id)
        before = snapshot(project)
        project.mark_deleted(user)
        project.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        record("delete", project, before=before, after=snapshot(project), detail={"reason": reason.strip()})
    return project


def _links_target(user, project_id: int) -> Project:
    return recheck(Project.objects.all(), user, CHANGE, project_id)


def add_organization(user, project_id: int, organization: Organization) -> Project:
    with transaction.atomic():
        project = _links_target(user, project_id)
        if not Organization.objects.visible_to(user, CHANGE).filter(pk=organization.pk).exists():
            raise ValidationError({"organization": _("该党组织不在您的管理范围内")})
        if organization.pk == project.organization_id:
            raise ValidationError({"organization": _("该党组织已是责任党组织")})
        if project.organizations.filter(pk=organization.pk).exists():
            raise ValidationError({"organization": _("该党组织已在参与党组织中")})
        project.organizations.add(organization)
        record("update", project, detail={"change": "add_organization", "organization": organization.pk})
    return project


def remove_organization(user, project_id: int, organization_id: int) -> Project:
    with transaction.atomic():
        project = _links_target(user, project_id)
        if not Organization.objects.visible_to(user, CHANGE).filter(pk=organization_id).exists():
            raise Http404(_("对象不存在"))
        if not project.organizations.filter(pk=organization_id).exists():
            raise ValidationError(_("该党组织不在参与党组织中"))
        project.organizations.remove(organization_id)
        record("update", project, detail={"change": "remove_organization", "organization": organization_id})
    return project


def add_person(user, project_id: int, person: Person) -> Project:
    with transaction.atomic():
        project = _links_target(user, project_id)
        if not Person.objects.visible_to(user, "people.view").filter(pk=person.pk).exists():
            raise ValidationError({"person": _("该人员不在您的管理范围内")})
        if project.people.filter(pk=person.pk).exists():
            raise ValidationError({"person": _("该人员已在参与人员中")})
        project.people.add(person)
        record("update", project, detail={"change": "add_person", "person": person.pk})
    return project


def remove_person(user, project_id: int, person_id: int) -> Project:
    with transaction.atomic():
        project = _links_target(user, project_id)
        if not Person.objects.visible_to(user, "people.view").filter(pk=person_id).exists():
            raise Http404(_("对象不存在"))
        if not project.people.filter(pk=person_id).exists():
            raise ValidationError(_("该人员不在参与人员中"))
        project.people.remove(person_id)
        record("update", project, detail={"change": "remove_person", "person": person_id})
    return project


def add_milestone(user, project_id: int, data: dict[str, Any]) -> Milestone:
    with transaction.atomic():
        project = _links_target(user, project_id)
        milestone = Milestone(project=project, name=data["name"], due_on=data["due_on"], order=data.get("order") or 0)
        milestone.full_clean()
        milestone.save()
        record("create", milestone, after=snapshot(milestone))
    return milestone


def milestone_done(user, milestone_id: int, done_on: date | None = None) -> Milestone:
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("完成日期不能晚于今天")})
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().filter(pk=milestone_id).first()
        if milestone is None or not Project.objects.visible_to(user, CHANGE).filter(pk=milestone.project_id).exists():
            raise Http404(_("对象不存在"))
        if milestone.done_on is not None:
            raise ValidationError(_("该节点已标记完成"))
        before = snapshot(milestone)
        milestone.done_on = done_on
        milestone.save(update_fields=["done_on", "updated_at"])
        record("update", milestone, before=before, after=snapshot(milestone))
    return milestone
