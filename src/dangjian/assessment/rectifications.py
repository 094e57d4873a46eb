"""The write side of 三张清单 (``Rectification``): the office records a 后进 unit's problems (by hand, or seeded from
the points it lost in a cycle), the unit's secretary reports each one done with evidence, the office accepts it
(验收) or reopens it; an item recorded by mistake is withdrawn with its reason, never deleted.

Who: the unit's keeper (``orgs.change``: its secretary, the office above) records and completes its own items; the
committee office over the unit (``assessment.manage``) seeds, accepts, reopens and withdraws, so a secretary never
signs off their own rectification. Each function is one intention, one transaction, one audit event.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import can
from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.core.uploads import check_upload
from dangjian.orgs.models import Organization
from dangjian.rules import services as rule_store

from . import results
from .models import (
    AssessmentCycle,
    CycleUnit,
    Method,
    Occurrence,
    Rectification,
    RectificationStatus,
    ReportMeeting,
)
from .rectification_owners import check_owner
from .rule_data import ASSESSMENT_RULES, RECTIFICATION_DAYS

CHANGE = "orgs.change"
MANAGE = "assessment.manage"
MAX_EVIDENCE = 20 * 1024 * 1024
EVIDENCE_TYPES = (".jpg", ".jpeg", ".png", ".pdf", ".docx", ".doc", ".xlsx", ".xls", ".ofd")
EVIDENCE_KINDS = gettext_lazy("JPG、PNG 图片或 PDF、Word、Excel、OFD 文件")
# the fields an open item's keepers may correct (``edit``), each change logged with its old and new value
EDITABLE = ("problem", "measure", "deadline", "owner_id", "owner_text", "source")


@dataclass
class RectificationData:
    problem: str
    measure: str
    deadline: date
    owner_text: str = ""
    owner_id: int | None = None
    source: str = ""


def seed_deadline(org: Organization) -> date:
    """A seeded item's deadline when the office gives none: today plus the setting's days (本单位设置, one quarter
    by default), the unit's subtree override first."""
    days = int(rule_store.table(ASSESSMENT_RULES, org).value(RECTIFICATION_DAYS, timezone.localdate()))
    return timezone.localdate() + timedelta(days=days)


def may_manage(user: Any, item: Rectification) -> bool:
    return can(user, MANAGE, item.organization)


def _problems(data: RectificationData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.problem.strip():
        errors["problem"] = _("请填写存在的问题")
    if data.deadline is None:
        errors["deadline"] = _("请填写整改时限")
    return errors


def _managed(user: Any, pk: int) -> Rectification:
    item = recheck(Rectification.objects.select_related("organization"), user, CHANGE, pk)
    if not may_manage(user, item):
        raise Http404(_("对象不存在"))
    return item


def create(user: Any, organization_id: int, data: RectificationData) -> Rectification:
    """One item of a unit's lists, recorded by its secretary or the office above."""
    errors = _problems(data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, CHANGE, organization_id)
        check_owner(org, data.owner_id)
        item = Rectification.objects.create(
            organization=org,
            problem=data.problem.strip(),
            measure=data.measure.strip(),
            deadline=data.deadline,
            owner_id=data.owner_id,
            owner_text=data.owner_text.strip(),
            source=data.source.strip(),
            created_by=user,
        )
        record("create", item, after=snapshot(item))
    return item


def edit(user: Any, pk: int, data: RectificationData) -> Rectification:
    """Correct an open item — the problem's words, the measure, the deadline, who answers for it — by whoever keeps
    the unit's lists (its secretary, the office above), as for recording one. Once reported done the item is the
    record the office judges: it is reopened first. The audit names each field changed with its old and new value."""
    errors = _problems(data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = recheck(Rectification.objects.select_related("organization"), user, CHANGE, pk)
        if item.status != RectificationStatus.OPEN:
            raise ValidationError(_("只有整改中的事项可以修改"))
        if data.owner_id != item.owner_id:  # one named before and since gone from the unit stays until changed
            check_owner(item.organization, data.owner_id)
        new = {
            "problem": data.problem.strip(),
            "measure": data.measure.strip(),
            "deadline": data.deadline,
            "owner_id": data.owner_id,
            "owner_text": data.owner_text.strip(),
            "source": data.source.strip(),
        }
        changes = {f: [_plain(getattr(item, f)), _plain(new[f])] for f in EDITABLE if getattr(item, f) != new[f]}
        if not changes:
            return item
        before = snapshot(item)
        for field, value in new.items():
            setattr(item, field, value)
        item.full_clean(exclude=["evidence"])
        item.save()
        record("update", item, before=before, after=snapshot(item), detail={"change": "edit", "fields": changes})
    return item


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def lost_points(cycle: AssessmentCycle, unit_id: int) -> list[tuple[Any, str]]:
    """(leaf, problem text) for each leaf of the unit's current snapshot that scored below its points, and each
    deduction recorded against it: the 问题清单 the cycle's result suggests."""
    snap = results.current_snapshot(cycle)
    out: list[tuple[Any, str]] = []
    scores = results.unit_scores(snap, unit_id)
    leaves = {i.pk: i for i in cycle.system.indicators.filter(pk__in=scores.keys())}
    for indicator_id, score in sorted(scores.items()):
        leaf = leaves[indicator_id]
        if score.score < leaf.points:
            text = _("%(name)s：得%(score)s分（满分%(points)s分）") % {
                "name": leaf.name,
                "score": score.score,
                "points": leaf.points,
            }
            if score.explanation:
                text = f"{text}。{score.explanation}"
            out.append((leaf, text))
    deductions = Occurrence.objects.filter(
        cycle=cycle, unit_id=unit_id, withdrawn_at__isnull=True, indicator__method=Method.DEDUCTION
    ).select_related("indicator")
    for o in deductions.order_by("pk"):
        out.append((o.indicator, _("%(name)s：%(reason)s") % {"name": o.indicator.name, "reason": o.reason}))
    return out


def seed_from_cycle(
    user: Any, cycle: AssessmentCycle, unit: Organization, deadline: date | None = None
) -> list[Rectification]:
    """One open item per leaf where the unit lost points in ``cycle``; a leaf already seeded (and not withdrawn)
    for this cycle and unit is skipped, so pressing the button twice adds nothing."""
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, MANAGE, unit.pk)
        deadline = deadline or seed_deadline(org)
        if not CycleUnit.objects.filter(cycle=cycle, organization=org).exists():
            raise Http404(_("对象不存在"))
        seeded = set(
            Rectification.objects.filter(cycle=cycle, organization=org)
            .exclude(status=RectificationStatus.WITHDRAWN)
            .values_list("indicator_id", flat=True)
        )
        created = []
        for leaf, text in lost_points(cycle, org.pk):
            if leaf.pk in seeded:
                continue
            seeded.add(leaf.pk)
            item = Rectification.objects.create(
                organization=org,
                cycle=cycle,
                indicator=leaf,
                source=cycle.title[:100],
                problem=text,
                deadline=deadline,
                created_by=user,
            )
            record("create", item, after=snapshot(item), detail={"change": "seed", "cycle": cycle.pk})
            created.append(item)
    return created


def seed_from_reports(user: Any, meeting_id: int, deadline: date | None = None) -> list[Rectification]:
    """The problems a closed 述职评议 found, carried into the 三张清单 (issue 14 §4): one open item per line of each
    report's 存在问题, for the reporting secretary's organisation, the secretary as the one responsible. A line already
    carried (same organisation, source and problem, not withdrawn) is skipped, so pressing twice adds nothing."""
    with transaction.atomic(), rule_store.holding():
        meeting = recheck(ReportMeeting.objects.select_related("organization"), user, MANAGE, meeting_id)
        if meeting.status != "closed":
            raise ValidationError(_("测评结束后才能将存在问题纳入三张清单"))
        source = meeting.title[:100]
        reports = meeting.reports.filter(withdrawn_at__isnull=True).select_related("person", "organization")
        carried = set(
            Rectification.objects.filter(source=source, organization__in=[r.organization_id for r in reports])
            .exclude(status=RectificationStatus.WITHDRAWN)
            .values_list("organization_id", "problem")
        )
        created = []
        for report in reports:
            for line in report.problems.splitlines():
                problem = line.strip()
                if not problem or (report.organization_id, problem) in carried:
                    continue
                carried.add((report.organization_id, problem))
                item = Rectification.objects.create(
                    organization=report.organization,
                    source=source,
                    problem=problem,
                    owner=report.person,
                    deadline=deadline or seed_deadline(report.organization),
                    created_by=user,
                )
                record("create", item, after=snapshot(item), detail={"change": "seed", "report_meeting": meeting.pk})
                created.append(item)
    return created


def complete(user: Any, pk: int, *, note: str, upload: Any = None) -> Rectification:
    """The unit reports an open item done, saying what it did; the file is the evidence (optional)."""
    if not note.strip():
        raise ValidationError({"note": _("请填写整改情况")})
    ext = ""
    if upload is not None:
        ext, _type = check_upload(upload, EVIDENCE_TYPES, MAX_EVIDENCE, str(EVIDENCE_KINDS))
    with transaction.atomic():
        item = recheck(Rectification.objects.all(), user, CHANGE, pk)
        if item.status != RectificationStatus.OPEN:
            raise ValidationError(_("只有整改中的事项可以报告完成"))
        before = snapshot(item)
        item.status, item.completion_note = RectificationStatus.DONE, note.strip()
        item.done_at, item.done_by = timezone.now(), user
        if upload is not None:
            item.evidence_name = os.path.basename(upload.name or "")[-200:]
            item.evidence.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
        try:
            item.save()
            record("update", item, before=before, after=snapshot(item), detail={"change": "complete"})
        except Exception:
            if upload is not None and item.evidence:
                item.evidence.delete(save=False)
            raise
    return item


def accept(user: Any, pk: int, *, note: str = "") -> Rectification:
    """The office's 验收: the item is closed."""
    with transaction.atomic():
        item = _managed(user, pk)
        if item.status != RectificationStatus.DONE:
            raise ValidationError(_("只有待验收的事项可以验收"))
        before = snapshot(item)
        item.status, item.review_note = RectificationStatus.ACCEPTED, note.strip()
        item.accepted_at, item.accepted_by = timezone.now(), user
        item.save()
        record("update", item, before=before, after=snapshot(item), detail={"change": "accept"})
    return item


def reopen(user: Any, pk: int, *, note: str) -> Rectification:
    """The office finds the rectification not done: back to the unit, with the reason (required)."""
    if not note.strip():
        raise ValidationError({"note": _("请说明退回整改的原因")})
    with transaction.atomic():
        item = _managed(user, pk)
        if item.status not in (RectificationStatus.DONE, RectificationStatus.ACCEPTED):
            raise ValidationError(_("只有待验收或已验收的事项可以退回整改"))
        before = snapshot(item)
        item.status, item.review_note = RectificationStatus.OPEN, note.strip()
        item.accepted_at, item.accepted_by = None, None
        item.save()
        record("update", item, before=before, after=snapshot(item), detail={"change": "reopen"})
    return item


def withdraw(user: Any, pk: int, *, reason: str) -> Rectification:
    """An item recorded by mistake leaves the lists; the row is kept with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("请填写撤销原因")})
    with transaction.atomic():
        item = _managed(user, pk)
        if item.status == RectificationStatus.WITHDRAWN:
            raise ValidationError(_("该事项已撤销"))
        before = snapshot(item)
        item.status, item.withdrawn_at, item.withdrawn_reason = RectificationStatus.WITHDRAWN, timezone.now(), reason
        item.save()
        record("update", item, before=before, after=snapshot(item), detail={"change": "withdraw"})
    return item


def home_items(user: Any, today: date) -> list[Any]:
    """One line on the home page of whoever keeps units with overdue open items (the secretary: their own unit,
    the office: its subtree), with the count and a link to the overdue list. One query."""
    from django.urls import reverse

    from dangjian.accounts.scope import has_perm
    from dangjian.core.contributions import HomeItem

    if not has_perm(user, CHANGE):
        return []
    n = (
        Rectification.objects.visible_to(user, CHANGE)
        .filter(status=RectificationStatus.OPEN, deadline__lt=today)
        .count()
    )
    if not n:
        return []
    link = reverse("assessment:rectifications") + "?overdue=on"
    text = _("%(n)d项整改事项已超过整改时限") % {"n": n}
    return [HomeItem("late", HOME_KIND, text, link, "assessment", count=n, more=link)]


HOME_KIND = gettext_lazy("整改清单")
