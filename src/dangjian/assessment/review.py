"""Review (审核评分) of a cycle's ``manual`` leaves: who reviews, and the checks around ``manual_scores.enter``.

Issue 14 §2: items go to their scoring department's (打分部门) reviewers; a reviewer never scores their own unit;
a leaf may need two reviewers (their average, or the office settles a difference above the cycle's threshold);
each score has a reason. The rules here:

- A reviewer is an active account assigned by the office to one department of one cycle (``Reviewer``); removing
  one sets ``removed_at`` (the row stays: their entries keep pointing at who they were).
- A leaf's department is ``Indicator.scoring_department``; a blank one means the committee office itself scores the
  leaf, under the label ``OFFICE_DEPARTMENT`` ("党委办公室") — stored as that label on ``Reviewer.department`` and
  used everywhere a department is named (``department_of``), so a leaf written "党委办公室" and a blank leaf are
  the same department.
- Own unit (回避): the unit holds the reviewer's current party membership — in the unit itself or in an
  organisation below it (a member of a branch does not score the general branch above it either) — or the
  reviewer holds an active role assignment over exactly that unit (a secretary of the unit; a role at the root
  does not make every unit one's own, else no office member could review).
- Scores are entered only while the cycle is in review (``CycleStatus.REVIEW``); once the office has settled an
  item, reviewers' scores on it are refused.
- The office settles a disputed item, or, after the review deadline, an item still short of its reviewers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record
from dangjian.orgs.models import Organization

from . import manual_scores
from .models import (
    AssessmentCycle,
    CycleStatus,
    CycleUnit,
    EntryKind,
    Indicator,
    ManualScore,
    Method,
    ReviewEntry,
    Reviewer,
)
from .services import may_manage, require_manage

OFFICE_DEPARTMENT = "党委办公室"
CLOSED = (CycleStatus.SIGNED, CycleStatus.PUBLISHED)


def department_of(leaf: Indicator) -> str:
    """The department that scores ``leaf``: its 打分部门, or the committee office when blank."""
    return (leaf.scoring_department or "").strip() or OFFICE_DEPARTMENT


def manual_leaves(cycle: AssessmentCycle) -> list[Indicator]:
    """The cycle's ``manual`` leaves in the system's order: one query."""
    return list(Indicator.objects.filter(system_id=cycle.system_id, method=Method.MANUAL).order_by("position", "pk"))


def departments(leaves: list[Indicator]) -> list[str]:
    """The departments of ``leaves``, each once, in the order they first score a leaf."""
    return list(dict.fromkeys(department_of(leaf) for leaf in leaves))


@dataclass
class Own:
    """The units that are the user's own (回避): role scopes by id, membership organisations by path."""

    role_units: set[int] = field(default_factory=set)
    member_paths: list[str] = field(default_factory=list)

    def covers(self, unit_id: int, unit_path: str) -> bool:
        return unit_id in self.role_units or any(p.startswith(unit_path) for p in self.member_paths)


def own_units(user: Any) -> Own:
    """Two queries: the user's active role scopes and their person's current memberships."""
    from dangjian.accounts.models import RoleAssignment
    from dangjian.people.models import Membership

    roles = RoleAssignment.objects.active().filter(user_id=user.pk, organization__isnull=False)
    own = Own(role_units=set(roles.values_list("organization_id", flat=True)))
    person_id = getattr(user, "person_id", None)
    if person_id:
        rows = Membership.objects.current().filter(person_id=person_id)
        own.member_paths = list(rows.values_list("organization__path", flat=True))
    return own


def is_own_unit(user: Any, unit_id: int) -> bool:
    path = Organization.objects.filter(pk=unit_id).values_list("path", flat=True).first()
    return path is not None and own_units(user).covers(unit_id, path)


def my_departments(user: Any, cycle: AssessmentCycle | int) -> set[str]:
    cycle_id = getattr(cycle, "pk", cycle)
    rows = Reviewer.objects.filter(cycle_id=cycle_id, user_id=user.pk, removed_at__isnull=True)
    return set(rows.values_list("department", flat=True))


def may_review(user: Any, cycle: AssessmentCycle, unit_id: int, leaf: Indicator) -> bool:
    """Is ``user`` a current reviewer of ``leaf``'s department in ``cycle``, and ``unit_id`` a unit of the cycle
    that is not their own? (Whether the cycle is in review is ``review``'s check, not this one.)"""
    if not getattr(user, "is_authenticated", False) or leaf.method != Method.MANUAL:
        return False
    if leaf.system_id != cycle.system_id or department_of(leaf) not in my_departments(user, cycle):
        return False
    if not CycleUnit.objects.filter(cycle=cycle, organization_id=unit_id).exists():
        return False
    return not is_own_unit(user, unit_id)


def settled(cycle: AssessmentCycle, unit_id: int, leaf: Indicator) -> bool:
    return ReviewEntry.objects.filter(
        cycle=cycle, unit_id=unit_id, indicator=leaf, kind__in=manual_scores.OVERRIDES
    ).exists()


def _locked_cycle(pk: int) -> AssessmentCycle:
    cycle = AssessmentCycle.objects.select_for_update().filter(pk=pk).first()
    if cycle is None:
        raise Http404(_("对象不存在"))
    return cycle


def _item(cycle: AssessmentCycle, unit_id: int, indicator_id: int) -> Indicator:
    leaf = Indicator.objects.filter(pk=indicator_id, system_id=cycle.system_id, method=Method.MANUAL).first()
    if leaf is None or not CycleUnit.objects.filter(cycle=cycle, organization_id=unit_id).exists():
        raise Http404(_("对象不存在"))
    return leaf


def assign(user: Any, cycle_pk: int, department: str, reviewer_id: int) -> Reviewer:
    """The office names an active account a reviewer of one department of the cycle; audited."""
    require_manage(user)
    with transaction.atomic():
        cycle = _locked_cycle(cycle_pk)
        if cycle.status in CLOSED:
            raise ValidationError(_("考核周期已签批，不能再调整评分人"))
        department = (department or "").strip()
        if department not in departments(manual_leaves(cycle)):
            raise ValidationError(_("打分部门应为本考核指标体系人工评分项的打分部门之一"))
        account = get_user_model().objects.filter(pk=reviewer_id, is_active=True).first()
        if account is None:
            raise ValidationError(_("请选择一个启用中的账号"))
        if Reviewer.objects.filter(cycle=cycle, department=department, user=account, removed_at__isnull=True).exists():
            raise ValidationError(_("该账号已是该部门的评分人"))
        row = Reviewer.objects.create(cycle=cycle, department=department, user=account, added_by=user)
        record(
            "create",
            row,
            detail={"cycle": cycle.pk, "department": department, "user": account.get_username()},
            object_repr=f"{department} {account.get_username()}",
        )
    return row


def remove(user: Any, reviewer_pk: int) -> Reviewer:
    """The office ends a reviewer's assignment (the row and their entries stay); audited."""
    require_manage(user)
    with transaction.atomic():
        row = Reviewer.objects.select_for_update().filter(pk=reviewer_pk).select_related("user").first()
        if row is None:
            raise Http404(_("对象不存在"))
        if row.removed_at is not None:
            raise ValidationError(_("该评分人已移除"))
        row.removed_at = timezone.now()
        row.save(update_fields=["removed_at"])
        # their scores in the department stop counting: each item they scored is settled again from the others
        leaves = {leaf.pk: leaf for leaf in manual_leaves(row.cycle) if department_of(leaf) == row.department}
        items = (
            ReviewEntry.objects.filter(cycle=row.cycle, entered_by=row.user, indicator_id__in=leaves)
            .values_list("unit_id", "indicator_id")
            .distinct()
        )
        for unit_id, indicator_id in list(items):
            manual_scores.refresh(row.cycle, unit_id, leaves[indicator_id])
        record(
            "update",
            row,
            before={"removed_at": None},
            after={"removed_at": row.removed_at.isoformat()},
            detail={"cycle": row.cycle_id, "department": row.department, "user": row.user.get_username()},
            object_repr=f"{row.department} {row.user.get_username()}",
        )
    return row


def review(user: Any, cycle_pk: int, unit_id: int, indicator_id: int, score: Any, reason: str) -> ReviewEntry:
    """A reviewer's score on one unit's leaf, with its reason (``manual_scores.enter`` audits it)."""
    with transaction.atomic():
        cycle = _locked_cycle(cycle_pk)
        leaf = _item(cycle, unit_id, indicator_id)
        if cycle.status != CycleStatus.REVIEW:
            raise ValidationError(_("考核周期不在审核阶段，不能评分"))
        department = department_of(leaf)
        if department not in my_departments(user, cycle):
            raise ValidationError(_("您不是“%(department)s”的评分人") % {"department": department})
        if is_own_unit(user, unit_id):
            raise ValidationError(_("不能为本人所在单位或任职单位评分（回避）"))
        if settled(cycle, unit_id, leaf):
            raise ValidationError(_("该项已由党委办公室裁定"))
        return manual_scores.enter(user, cycle, unit_id, leaf, score, reason, kind=EntryKind.REVIEW)


def short_of_reviewers(cycle: AssessmentCycle, unit_id: int, leaf: Indicator) -> bool:
    """Fewer reviewers than the leaf needs have scored the item."""
    rows = ReviewEntry.objects.filter(cycle=cycle, unit_id=unit_id, indicator=leaf, kind=EntryKind.REVIEW)
    return rows.values("entered_by").distinct().count() < manual_scores.required_reviewers(leaf)


def settle(user: Any, cycle_pk: int, unit_id: int, indicator_id: int, score: Any, reason: str) -> ReviewEntry:
    """The office's score replacing the reviewers' on a disputed item, or on an item still short of reviewers
    once the review deadline has passed; audited by ``manual_scores.enter``."""
    require_manage(user)
    with transaction.atomic():
        cycle = _locked_cycle(cycle_pk)
        leaf = _item(cycle, unit_id, indicator_id)
        if cycle.status != CycleStatus.REVIEW:
            raise ValidationError(_("考核周期不在审核阶段，不能裁定"))
        if settled(cycle, unit_id, leaf):
            raise ValidationError(_("该项已由党委办公室裁定"))
        disputed = ManualScore.objects.filter(cycle=cycle, unit_id=unit_id, indicator=leaf, disputed=True).exists()
        overdue = timezone.localdate() > cycle.review_deadline and short_of_reviewers(cycle, unit_id, leaf)
        if not (disputed or overdue):
            raise ValidationError(_("只有评分差异超过阈值的项，或审核截止后评分人数不足的项，由党委办公室裁定"))
        return manual_scores.enter(user, cycle, unit_id, leaf, score, reason, kind=EntryKind.SETTLEMENT)


def is_office(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and may_manage(user)
