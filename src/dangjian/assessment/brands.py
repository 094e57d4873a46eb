"""The write side of 一支部一特色 (``BranchBrand``): a branch drafts its feature, submits it, the committee office
reviews it each year (认定 / 退回 with remarks), the branch adds yearly evidence; a brand is withdrawn, never deleted.

Who: a branch's brand is kept by whoever maintains the branch (``orgs.change``: its secretary, the office above);
the review is the committee office's act over the branch (``assessment.manage`` over the brand's organisation), so
a secretary never recognises their own branch's feature. Each function is one intention, one transaction, one
audit event, as in ``services``.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
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
from dangjian.orgs.models import Organization, OrgKind

from .models import BranchBrand, BrandEvidence, BrandReview, BrandStatus, ReviewResult

VIEW = "orgs.view"
CHANGE = "orgs.change"
REVIEW = "assessment.manage"
MAX_EVIDENCE = 20 * 1024 * 1024
EVIDENCE_TYPES = (".jpg", ".jpeg", ".png", ".pdf", ".docx", ".doc", ".xlsx", ".xls", ".ofd")
EVIDENCE_KINDS = gettext_lazy("JPG、PNG 图片或 PDF、Word、Excel、OFD 文件")
FIELDS = ("name", "idea", "measures", "business_link", "started_year")
LIVE = (BrandStatus.DRAFT, BrandStatus.SUBMITTED, BrandStatus.RETURNED, BrandStatus.RECOGNISED)


@dataclass
class BrandData:
    name: str
    idea: str
    measures: str
    business_link: str
    started_year: int


def may_review(user: Any, brand: BranchBrand) -> bool:
    return can(user, REVIEW, brand.organization)


def _problems(data: BrandData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("请填写特色名称")
    if not data.idea.strip():
        errors["idea"] = _("请填写特色理念")
    if not data.measures.strip():
        errors["measures"] = _("请填写主要举措")
    this_year = timezone.localdate().year
    if not (1921 <= int(data.started_year) <= this_year + 1):
        errors["started_year"] = _("创建年度应在 1921 年至 %(year)d 年之间") % {"year": this_year + 1}
    return errors


def _brand(user: Any, pk: int) -> BranchBrand:
    """The brand in the user's keeping, locked for the write (404 when out of scope)."""
    return recheck(BranchBrand.objects.select_related("organization"), user, CHANGE, pk)


def create(user: Any, organization_id: int, data: BrandData) -> BranchBrand:
    """A new draft for a branch. It becomes the branch's current brand; a recognised one it replaces is withdrawn
    (kept, with its evidence and reviews). A brand still being drafted or reviewed is edited, not replaced."""
    errors = _problems(data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, CHANGE, organization_id)
        if org.kind != OrgKind.BRANCH:
            raise ValidationError({"organization": _("一支部一特色由党支部创建")})
        if org.dissolved_on is not None:
            raise ValidationError({"organization": _("该党支部已撤销，不能新建特色")})
        old = BranchBrand.objects.select_for_update().filter(organization=org, current=True).first()
        if old is not None and old.status != BrandStatus.RECOGNISED:
            raise ValidationError(
                _("本支部已有未完成认定的特色“%(name)s”，请修改或撤销该特色后再新建") % {"name": old.name}
            )
        if old is not None:
            _withdraw(old, reason="replaced")
        brand = BranchBrand.objects.create(
            organization=org,
            created_by=user,
            replaces=old,
            name=data.name.strip(),
            idea=data.idea.strip(),
            measures=data.measures.strip(),
            business_link=data.business_link.strip(),
            started_year=data.started_year,
        )
        record("create", brand, after=snapshot(brand))
    return brand


def update(user: Any, pk: int, data: BrandData) -> BranchBrand:
    errors = _problems(data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        brand = _brand(user, pk)
        if not brand.editable:
            raise ValidationError(_("只有草稿或已退回的特色可以修改"))
        before = snapshot(brand)
        for f in FIELDS:
            value = getattr(data, f)
            setattr(brand, f, value.strip() if isinstance(value, str) else value)
        brand.save()
        record("update", brand, before=before, after=snapshot(brand))
    return brand


def submit(user: Any, pk: int) -> BranchBrand:
    """The branch hands a draft (or a returned brand, revised) to the committee for review."""
    with transaction.atomic():
        brand = _brand(user, pk)
        if not brand.editable:
            raise ValidationError(_("只有草稿或已退回的特色可以提交"))
        before = snapshot(brand)
        brand.status, brand.submitted_at = BrandStatus.SUBMITTED, timezone.now()
        brand.save(update_fields=["status", "submitted_at", "updated_at"])
        record("update", brand, before=before, after=snapshot(brand), detail={"change": "submit"})
    return brand


def review(user: Any, pk: int, *, year: int, result: str, remarks: str) -> BrandReview:
    """The committee's yearly review: 认定 makes the brand recognised for ``year``; 不予认定 returns it to the branch
    with the remarks (which are then required). A submitted brand is reviewed, and a recognised one again each year
    on that year's evidence; a year already recognised is not reviewed twice."""
    if result not in ReviewResult.values:
        raise ValidationError({"result": _("请选择审核结果")})
    if result == ReviewResult.NOT_RECOGNISED and not remarks.strip():
        raise ValidationError({"remarks": _("不予认定时请填写审核意见，说明退回的原因")})
    this_year = timezone.localdate().year
    if not (2000 <= int(year) <= this_year):
        raise ValidationError({"year": _("审核年度应在 2000 年至 %(year)d 年之间") % {"year": this_year}})
    with transaction.atomic():
        brand = recheck(BranchBrand.objects.select_related("organization"), user, VIEW, pk)
        if not may_review(user, brand):
            raise Http404(_("对象不存在"))
        if brand.status not in (BrandStatus.SUBMITTED, BrandStatus.RECOGNISED):
            raise ValidationError(_("只有已提交或已认定的特色可以审核"))
        done = brand.reviews.filter(year=year).order_by("-id").first()
        if done is not None and done.result == ReviewResult.RECOGNISED:
            raise ValidationError(_("该特色%(year)d年度已认定") % {"year": year})
        row = BrandReview.objects.create(brand=brand, year=year, result=result, remarks=remarks.strip(), reviewer=user)
        record("create", row, after=snapshot(row))
        before = snapshot(brand)
        if result == ReviewResult.RECOGNISED:
            brand.status, brand.remarks = BrandStatus.RECOGNISED, remarks.strip()
            brand.recognised_at = brand.recognised_at or timezone.now()
        else:
            brand.status, brand.remarks = BrandStatus.RETURNED, remarks.strip()
        brand.save(update_fields=["status", "remarks", "recognised_at", "updated_at"])
        record("update", brand, before=before, after=snapshot(brand), detail={"change": "review", "year": year})
    return row


def withdraw(user: Any, pk: int) -> BranchBrand:
    """The branch gives its feature up (or it was recorded by mistake): kept, no longer current."""
    with transaction.atomic():
        brand = _brand(user, pk)
        if brand.status == BrandStatus.WITHDRAWN:
            raise ValidationError(_("该特色已撤销"))
        return _withdraw(brand, reason="withdrawn")


def _withdraw(brand: BranchBrand, *, reason: str) -> BranchBrand:
    before = snapshot(brand)
    brand.status, brand.current, brand.withdrawn_at = BrandStatus.WITHDRAWN, False, timezone.now()
    brand.save(update_fields=["status", "current", "withdrawn_at", "updated_at"])
    record("update", brand, before=before, after=snapshot(brand), detail={"change": reason})
    return brand


def add_evidence(user: Any, pk: int, *, year: int, title: str, text: str, upload: Any = None) -> BrandEvidence:
    """A year's evidence for a live brand. A file must be what its extension says (``core.uploads``); it is stored
    under a random name, the uploader's name kept for the download."""
    if not title.strip():
        raise ValidationError({"title": _("请填写标题")})
    this_year = timezone.localdate().year
    if not (2000 <= int(year) <= this_year):
        raise ValidationError({"year": _("年度应在 2000 年至 %(year)d 年之间") % {"year": this_year}})
    ext = ""
    if upload is not None:
        ext, _type = check_upload(upload, EVIDENCE_TYPES, MAX_EVIDENCE, str(EVIDENCE_KINDS))
    with transaction.atomic():
        brand = _brand(user, pk)
        if brand.status not in LIVE:
            raise ValidationError(_("已撤销的特色不能再添加佐证材料"))
        ev = BrandEvidence(brand=brand, year=year, title=title.strip(), text=text.strip(), added_by=user)
        if upload is not None:
            ev.file_name = os.path.basename(upload.name or "")[-200:]
            ev.size = upload.size
            ev.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
        try:
            ev.save()
            record("create", ev, after=snapshot(ev))
        except Exception:
            if ev.file:
                ev.file.delete(save=False)
            raise
    return ev


def withdraw_evidence(user: Any, pk: int) -> BrandEvidence:
    """Evidence added by mistake leaves the brand's page; the row and its file are kept."""
    with transaction.atomic():
        ev = recheck(BrandEvidence.objects.all(), user, CHANGE, pk)
        if ev.withdrawn_at is not None:
            raise ValidationError(_("该材料已撤回"))
        before = snapshot(ev)
        ev.withdrawn_at, ev.withdrawn_by = timezone.now(), user
        ev.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
        record("update", ev, before=before, after=snapshot(ev), detail={"change": "withdraw"})
    return ev
