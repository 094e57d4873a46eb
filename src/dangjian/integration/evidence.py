"""Evidence files (佐证材料) of any carrier's or plan's record: attached, listed and withdrawn (never deleted).

The caller has already decided that ``user`` may act on ``target`` (its own scope check, 404 otherwise); these
functions check the file by its content (``core.uploads``), store it under a random name and audit each write.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.audit.services import record, snapshot
from dangjian.core.uploads import check_upload

from .models import CarrierEvidence

MAX_EVIDENCE = 20 * 1024 * 1024
EVIDENCE_TYPES = (".jpg", ".jpeg", ".png", ".pdf", ".docx", ".doc", ".xlsx", ".xls", ".ofd")
EVIDENCE_KINDS = gettext_lazy("JPG、PNG 图片或 PDF、Word、Excel、OFD 文件")


def of(target: models.Model) -> list[CarrierEvidence]:
    """The files of one record still in force, oldest first."""
    return list(
        CarrierEvidence.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk, withdrawn_at__isnull=True
        ).select_related("uploaded_by")
    )


def of_many(targets: list[models.Model]) -> dict[tuple[type, int], list[CarrierEvidence]]:
    """The files of many records of any models in one query per model: ``{(model, pk): [files]}``."""
    out: dict[tuple[type, int], list[CarrierEvidence]] = {}
    by_model: dict[type, list[int]] = {}
    for t in targets:
        by_model.setdefault(type(t), []).append(t.pk)
    for model, pks in by_model.items():
        rows = CarrierEvidence.objects.filter(
            target_type=ContentType.objects.get_for_model(model), target_id__in=pks, withdrawn_at__isnull=True
        ).select_related("uploaded_by")
        for row in rows:
            out.setdefault((model, row.target_id), []).append(row)
    return out


def attach(user: Any, target: models.Model, title: str, upload: Any) -> CarrierEvidence:
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写材料名称")})
    if upload is None:
        raise ValidationError({"file": _("请选择要上传的文件")})
    ext, _type = check_upload(upload, EVIDENCE_TYPES, MAX_EVIDENCE, str(EVIDENCE_KINDS))
    ev = CarrierEvidence(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        title=title.strip()[:200],
        uploaded_by=user,
    )
    with transaction.atomic():
        ev.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
        try:
            ev.save()
            name = os.path.basename(upload.name or "")[-200:]
            record("create", ev, after=snapshot(ev), detail={"name": name}, object_repr=f"{target} · {ev.title}")
        except Exception:
            ev.file.delete(save=False)
            raise
    return ev


def withdraw(user: Any, evidence: CarrierEvidence, reason: str) -> CarrierEvidence:
    """A file attached by mistake leaves the record's page; the row and the file are kept with the reason."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写撤回原因")})
    with transaction.atomic():
        ev = CarrierEvidence.objects.select_for_update().get(pk=evidence.pk)
        if ev.withdrawn_at is not None:
            raise ValidationError(_("该材料已撤回"))
        before = snapshot(ev)
        ev.withdrawn_at, ev.withdrawn_reason = timezone.now(), reason.strip()
        ev.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        record("update", ev, before=before, after=snapshot(ev), detail={"change": "withdraw"}, object_repr=ev.title)
    return ev
