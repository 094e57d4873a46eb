"""Writing practical-matter projects (我为群众办实事): create, edit, milestones, evidence, withdraw a project recorded
by mistake."""

from __future__ import annotations

import os
import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.core.uploads import check_upload
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .models import Evidence, Milestone, PracticalMatter
from .services import CHANGE

FIELDS = ("title", "year", "description", "beneficiary_count", "beneficiary_groups", "status", "evidence_reference")
MAX_EVIDENCE = 20 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".doc", ".xls", ".ofd")
EVIDENCE_KINDS = gettext_lazy("PDF、JPG、PNG、Word（.docx/.doc）、Excel（.xlsx/.xls）或 OFD 文件")


def save_matter(user, matter_id: int | None, data: dict) -> PracticalMatter:
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, CHANGE, data["organization"].pk)
        owner = Person.objects.visible_to(user, "people.view").filter(pk=data["owner"].pk).first()
        if owner is None:
            raise ValidationError({"owner": _("负责人不存在或不在您的管理范围内")})
        if matter_id:
            matter = recheck(PracticalMatter.objects.all(), user, CHANGE, matter_id)
            before = snapshot(matter)
        else:
            matter, before = PracticalMatter(recorded_by=user), None
        for f in FIELDS:
            if f in data:
                setattr(matter, f, data[f])
        if not (matter.title or "").strip():
            raise ValidationError({"title": _("请填写项目名称")})
        matter.organization, matter.owner = org, owner
        matter.save()
        record("update" if before else "create", matter, before=before, after=snapshot(matter))
    return matter


def add_milestone(user, matter_id: int, title: str, planned_on: date) -> Milestone:
    with transaction.atomic():
        matter = recheck(PracticalMatter.objects.all(), user, CHANGE, matter_id)
        if not (title or "").strip():
            raise ValidationError({"title": _("请填写节点名称")})
        if not isinstance(planned_on, date):
            raise ValidationError({"planned_on": _("请填写计划日期")})
        ms = Milestone.objects.create(matter=matter, title=title.strip(), planned_on=planned_on)
        record("create", ms, after=snapshot(ms))
    return ms


def complete_milestone(user, milestone_id: int, done_on: date) -> Milestone:
    with transaction.atomic():
        ms = recheck(Milestone.objects.filter(matter__deleted_at__isnull=True), user, CHANGE, milestone_id)
        if ms.done_on is not None:
            raise ValidationError(_("该节点已完成"))
        if not isinstance(done_on, date) or done_on > timezone.localdate():
            raise ValidationError({"done_on": _("完成日期不能晚于今天")})
        before = snapshot(ms)
        ms.done_on = done_on
        ms.save(update_fields=["done_on", "updated_at"])
        record("update", ms, before=before, after=snapshot(ms))
    return ms


def add_evidence(user, matter_id: int, upload) -> Evidence:
    """The file must be what its extension says (``core.uploads``: content, not only the name); it is stored under a
    random name, the uploader's name kept for display and download."""
    ext, _content_type = check_upload(upload, EVIDENCE_TYPES, MAX_EVIDENCE, EVIDENCE_KINDS)
    name = os.path.basename(upload.name or "")[-200:]
    with transaction.atomic():
        matter = recheck(PracticalMatter.objects.all(), user, CHANGE, matter_id)
        ev = Evidence(matter=matter, name=name, size=upload.size, uploaded_by=user)
        ev.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
        try:
            ev.save()
            record("create", ev, after=snapshot(ev))
        except Exception:
            ev.file.delete(save=False)
            raise
    return ev


def withdraw_matter(user, matter_id: int, reason: str) -> PracticalMatter:
    """A project recorded by mistake (误登记): soft-deleted, never erased; its milestones and evidence files are kept
    but leave the yearly list and export with it. The reason lives in the audit event, as for a withdrawn care
    event (``services.withdraw_event``)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因")})
    with transaction.atomic():
        matter = recheck(PracticalMatter.objects.all(), user, CHANGE, matter_id)
        before = snapshot(matter)
        matter.mark_deleted(user)
        matter.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        record("delete", matter, before=before, detail={"reason": reason})
    return matter
