"""Writes for the yearly pledges (亮身份、守承诺、作表率); each in one transaction, audited, its scope re-checked.

A member writes their own pledge for a year and submits it (or the branch enters it for them); the branch
(``integration.change``) approves it, which publishes it (公示), or returns it with a reason; at the year's end
the branch reviews its fulfilment (践诺). One pledge per member and year. ``pledges_for`` gives the democratic
appraisal (民主评议党员) each member's published pledge and its fulfilment as information.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person

from .models import Fulfilment, Pledge, PledgeStatus, ProcessStage, Project

VIEW = "integration.view"
CHANGE = "integration.change"
MEMBER_STATUSES = ("member", "probationary")
# 践诺评议 at the year's end: from the first of December of the pledge's year (the branch's year-end review)
FULFILMENT_FROM_MONTH = 12
EDITABLE = (PledgeStatus.DRAFT, PledgeStatus.RETURNED)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def current_branch(person_id: int):
    """The member's current branch membership (with its organisation), or None."""
    return (
        Membership.objects.current()
        .filter(person_id=person_id, person__political_status__in=MEMBER_STATUSES)
        .select_related("organization")
        .first()
    )


def work_projects(user, organization=None):
    """The key tasks a pledge may name: those the user sees, and those the member's branch runs or works on (a
    member's own scope holds no tasks)."""
    seen = Q(pk__in=Project.objects.visible_to(user, VIEW).values("pk"))
    if organization is not None:
        seen |= Q(organization=organization) | Q(pk__in=Project.objects.filter(organizations=organization).values("pk"))
    return Project.objects.filter(seen, key=True).order_by("-starts_on", "code")


def work_stages(user, organization=None):
    """The process stages a pledge may name: those the user sees, and those of the business lines of the committees
    at or above the member's branch (a line belongs to its 党委, above a branch secretary's scope)."""
    seen = Q(pk__in=ProcessStage.objects.visible_to(user, VIEW).values("pk"))
    if organization is not None:
        step = Organization.steplen
        paths = [organization.path[:i] for i in range(step, len(organization.path) + 1, step)]
        seen |= Q(line__organization__path__in=paths, line__deleted_at__isnull=True)
    return ProcessStage.objects.filter(seen).select_related("line")


def _check_work(user, data: dict[str, Any], organization=None) -> None:
    project = data.get("project")
    if project is not None and not work_projects(user, organization).filter(pk=project.pk).exists():
        raise ValidationError({"project": _("该重点任务不在您的查看范围内")})
    stage = data.get("stage")
    if stage is not None and not work_stages(user, organization).filter(pk=stage.pk).exists():
        raise ValidationError({"stage": _("该业务流程环节不在您的查看范围内")})


def _exists(person_id: int, year: int) -> None:
    if Pledge.objects.filter(person_id=person_id, year=year).exists():
        raise ValidationError({"year": _("%(year)d年度的承诺已经存在，每名党员每年只作一份承诺") % {"year": year}})


def _create(user, person: Person, organization, data: dict[str, Any], status: str) -> Pledge:
    year = data["year"]
    _exists(person.pk, year)
    if not (data.get("promise") or "").strip():
        raise ValidationError({"promise": _("请填写承诺内容")})
    _check_work(user, data, organization)
    start, end = year_bounds(year)
    pledge = Pledge(
        organization=organization,
        person=person,
        year=year,
        promise=data["promise"].strip(),
        project=data.get("project"),
        stage=data.get("stage"),
        starts_on=start,
        ends_on=end,
        status=status,
        submitted_on=timezone.localdate() if status == PledgeStatus.SUBMITTED else None,
    )
    pledge.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            pledge.save()
    except IntegrityError:  # written twice at once
        raise ValidationError(
            {"year": _("%(year)d年度的承诺已经存在，每名党员每年只作一份承诺") % {"year": year}}
        ) from None
    record("create", pledge, after=snapshot(pledge))
    return pledge


def write_own(user, data: dict[str, Any]) -> Pledge:
    """A member writes their own pledge for a year (a draft, which they submit when ready)."""
    if not user.person_id:
        raise ValidationError(_("您的账号未关联党员信息，不能作出承诺"))
    with transaction.atomic():
        branch = current_branch(user.person_id)
        if branch is None:
            raise ValidationError(_("只有在册党员可以作出承诺"))
        person = Person.objects.select_for_update().get(pk=user.person_id)
        return _create(user, person, branch.organization, data, PledgeStatus.DRAFT)


def branch_members(user):
    """The current members of the branches the user maintains (for a pledge entered by the branch)."""
    return (
        Person.objects.visible_to(user, CHANGE)
        .filter(
            political_status__in=MEMBER_STATUSES,
            pk__in=Membership.objects.current().values("person_id"),
        )
        .order_by("sort_key", "name", "pk")
    )


def enter_for(user, data: dict[str, Any]) -> Pledge:
    """The branch enters a member's pledge (from a paper form, say); it waits for the branch's approval."""
    person = data.get("person")
    if person is None:
        raise ValidationError({"person": _("请选择党员")})
    with transaction.atomic():
        person = recheck(branch_members(user), user, CHANGE, person.pk)
        branch = current_branch(person.pk)
        if branch is None:
            raise ValidationError({"person": _("只有在册党员可以作出承诺")})
        return _create(user, person, branch.organization, data, PledgeStatus.SUBMITTED)


def _own(user, pk: int) -> Pledge:
    pledge = Pledge.objects.select_for_update().filter(pk=pk).first()
    if pledge is None or not user.person_id or pledge.person_id != user.person_id:
        raise Http404
    return pledge


def edit_own(user, pk: int, data: dict[str, Any]) -> Pledge:
    """The member changes a draft or a returned pledge."""
    with transaction.atomic():
        pledge = _own(user, pk)
        if pledge.status not in EDITABLE:
            raise ValidationError(_("承诺已提交或已公示，不能再修改"))
        if not (data.get("promise") or "").strip():
            raise ValidationError({"promise": _("请填写承诺内容")})
        _check_work(user, data, pledge.organization)
        before = snapshot(pledge)
        pledge.promise, pledge.project, pledge.stage = data["promise"].strip(), data.get("project"), data.get("stage")
        pledge.full_clean(validate_constraints=False)
        pledge.save()
        record("update", pledge, before=before, after=snapshot(pledge))
    return pledge


def submit(user, pk: int) -> Pledge:
    """The member submits a draft or a returned pledge to the branch."""
    with transaction.atomic():
        pledge = _own(user, pk)
        if pledge.status not in EDITABLE:
            raise ValidationError(_("承诺已提交，请等待党支部审核"))
        before = snapshot(pledge)
        pledge.status, pledge.submitted_on = PledgeStatus.SUBMITTED, timezone.localdate()
        pledge.save(update_fields=["status", "submitted_on", "updated_at"])
        record("update", pledge, before=before, after=snapshot(pledge), detail={"change": "submit"})
    return pledge


def _reviewable(user, pk: int) -> Pledge:
    pledge = recheck(Pledge.objects.all(), user, CHANGE, pk)
    if pledge.person_id == user.person_id:
        raise ValidationError(_("不能审核本人的承诺，请由党支部其他委员审核"))
    return pledge


def approve(user, pk: int) -> Pledge:
    """The branch approves a submitted pledge: it is published (公示)."""
    with transaction.atomic():
        pledge = _reviewable(user, pk)
        if pledge.status != PledgeStatus.SUBMITTED:
            raise ValidationError(_("只能审核待审核的承诺"))
        before = snapshot(pledge)
        pledge.status, pledge.reviewed_on, pledge.reviewed_by = PledgeStatus.APPROVED, timezone.localdate(), user
        pledge.review_note = ""
        pledge.save(update_fields=["status", "reviewed_on", "reviewed_by", "review_note", "updated_at"])
        record("update", pledge, before=before, after=snapshot(pledge), detail={"change": "approve"})
    return pledge


def return_(user, pk: int, reason: str) -> Pledge:
    """The branch returns a submitted pledge with the reason; the member changes it and submits again."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("退回承诺须填写原因")})
    with transaction.atomic():
        pledge = _reviewable(user, pk)
        if pledge.status != PledgeStatus.SUBMITTED:
            raise ValidationError(_("只能退回待审核的承诺"))
        before = snapshot(pledge)
        pledge.status, pledge.reviewed_on, pledge.reviewed_by = PledgeStatus.RETURNED, timezone.localdate(), user
        pledge.review_note = reason.strip()
        pledge.save(update_fields=["status", "reviewed_on", "reviewed_by", "review_note", "updated_at"])
        record("update", pledge, before=before, after=snapshot(pledge), detail={"change": "return"})
    return pledge


def review_fulfilment(user, pk: int, fulfilment: str, note: str) -> Pledge:
    """践诺评议: at the year's end the branch judges a published pledge fulfilled, partly or not."""
    if fulfilment not in Fulfilment.values:
        raise ValidationError({"fulfilment": _("请选择践诺情况")})
    if fulfilment != Fulfilment.FULFILLED and not (note or "").strip():
        raise ValidationError({"fulfilment_note": _("部分践诺或未践诺的，须填写践诺评价")})
    with transaction.atomic():
        pledge = _reviewable(user, pk)
        if pledge.status != PledgeStatus.APPROVED:
            raise ValidationError(_("只能对已公示的承诺进行践诺评议"))
        today = timezone.localdate()
        if today < date(pledge.year, FULFILMENT_FROM_MONTH, 1):
            raise ValidationError(
                _("践诺评议在年底进行：%(year)d年度的承诺自%(year)d年12月1日起评议") % {"year": pledge.year}
            )
        before = snapshot(pledge)
        pledge.fulfilment, pledge.fulfilment_note = fulfilment, (note or "").strip()
        pledge.fulfilment_on, pledge.fulfilment_by = today, user
        pledge.save(update_fields=["fulfilment", "fulfilment_note", "fulfilment_on", "fulfilment_by", "updated_at"])
        record("update", pledge, before=before, after=snapshot(pledge), detail={"change": "fulfilment"})
    return pledge


def pledges_for(person_ids, year: int) -> dict[int, Pledge]:
    """Each person's published (approved) pledge of ``year`` with its fulfilment, by person id; one query.

    The democratic appraisal shows it as information beside each member (民主评议党员: 践诺 as one of the
    things members weigh); a pledge not yet published is not shown there."""
    rows = Pledge.objects.filter(person_id__in=list(person_ids), year=year, status=PledgeStatus.APPROVED)
    return {p.person_id: p for p in rows}
