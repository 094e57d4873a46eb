"""Existing records put into the integration matrix (issue 15 §3): a held meeting (a theme day, a lecture or
another meeting on a business topic: column ``activity``) or a leader's contact point (column ``contact_point``)
linked to the key task or the stage it served. Exactly one of the two; a link is removed by ``removed_at``, never
deleted, so the matrix of a past year can be read as it was. Each write audited, the scope re-checked.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_for
from dangjian.audit.services import record, snapshot
from dangjian.meetings.models import Meeting
from dangjian.orgs.models import Organization
from dangjian.talks.models import ContactPoint

from .models import ActivityLink, ContactPointLink, ProcessStage, Project

VIEW = "integration.view"
CHANGE = "integration.change"


def ancestor_paths(paths) -> set[str]:
    """Every organisation path above or at ``paths`` (read from the paths themselves: no query)."""
    step = Organization.steplen
    return {p[:n] for p in paths for n in range(step, len(p) + 1, step)}


def reachable_stages(user):
    """The stages a user may attach work to: those they see, and those of the business lines kept by the
    committees above the units they maintain (四大主业 belong to the institute's 党委; every branch works along
    them, so a branch secretary links a theme day to a stage of a line the branch does not own)."""
    scope = scope_for(user, CHANGE)
    above = ancestor_paths([*scope.subtree_paths, *scope.exact_paths])
    return ProcessStage.objects.filter(
        Q(pk__in=ProcessStage.objects.visible_to(user, VIEW).values("pk")) | Q(line__organization__path__in=above)
    ).select_related("line")


def linkable_meetings(user):
    """The held meetings of the organisations the user maintains."""
    return Meeting.objects.visible_to(user, CHANGE).held()


def linkable_points(user):
    return ContactPoint.objects.visible_to(user, CHANGE)


def _target(user, data: dict[str, Any]) -> dict[str, Any]:
    project, stage = data.get("project"), data.get("stage")
    if (project is None) == (stage is None):
        raise ValidationError(_("请选择一项重点任务或一个业务流程环节（二者选其一）"))
    if project is not None:
        project = Project.objects.visible_to(user, VIEW).filter(pk=project.pk).first()
        if project is None:
            raise ValidationError({"project": _("该重点任务不在您的查看范围内")})
        return {"project": project, "stage": None}
    stage = reachable_stages(user).filter(pk=getattr(stage, "pk", None)).first()
    if stage is None:
        raise ValidationError({"stage": _("该业务流程环节不在您的查看范围内")})
    return {"project": None, "stage": stage}


def _live_duplicate(model: type[models.Model], field: str, obj: models.Model, target: dict[str, Any]) -> bool:
    return model._default_manager.filter(**{field: obj}, removed_at__isnull=True, **target).exists()


def link_meeting(user, meeting_id: int, data: dict[str, Any]) -> ActivityLink:
    with transaction.atomic():
        meeting = linkable_meetings(user).filter(pk=meeting_id).select_for_update().first()
        if meeting is None:
            raise Http404
        target = _target(user, data)
        if _live_duplicate(ActivityLink, "meeting", meeting, target):
            raise ValidationError(_("该活动已关联此重点任务或业务流程环节"))
        link = ActivityLink.objects.create(meeting=meeting, linked_by=user, **target)
        record("create", link, after=snapshot(link), object_repr=f"{meeting} → {target['project'] or target['stage']}")
    return link


def link_contact_point(user, point_id: int, data: dict[str, Any]) -> ContactPointLink:
    with transaction.atomic():
        point = linkable_points(user).filter(pk=point_id).select_for_update().first()
        if point is None:
            raise Http404
        target = _target(user, data)
        if _live_duplicate(ContactPointLink, "contact_point", point, target):
            raise ValidationError(_("该联系点已关联此重点任务或业务流程环节"))
        link = ContactPointLink.objects.create(contact_point=point, linked_by=user, **target)
        record("create", link, after=snapshot(link), object_repr=f"{point} → {target['project'] or target['stage']}")
    return link


def _unlink(model, user, link_id: int):
    with transaction.atomic():
        link = model.objects.visible_to(user, CHANGE).filter(pk=link_id).select_for_update().first()
        if link is None:
            raise Http404
        if link.removed_at is not None:
            raise ValidationError(_("该关联已解除"))
        before = snapshot(link)
        link.removed_at = timezone.now()
        link.save(update_fields=["removed_at"])
        record("update", link, before=before, after=snapshot(link), detail={"change": "unlink"})
    return link


def unlink_meeting(user, link_id: int) -> ActivityLink:
    return _unlink(ActivityLink, user, link_id)


def unlink_contact_point(user, link_id: int) -> ContactPointLink:
    return _unlink(ContactPointLink, user, link_id)
