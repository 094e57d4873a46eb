"""Moving audit rows older than the retention period to a file, never dropping them silently.

网络安全法 art. 21(3) asks that network logs be kept for no less than six months; ``AUDIT_RETENTION_DAYS``
(never below 180) is that floor. Rows older than a cut date may leave the database only into an archive file
(JSON lines: a header with the chain head at the cut, then every column of every row, digest included), written
and synced to disk before the rows are removed. The archive's last digest then becomes the live chain's genesis,
so the chain still verifies, and the archive's rows can be re-chained from its header's genesis.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import chain
from .integrity import check_chain
from .models import AuditEvent
from .services import _lock_head, _store_head, record

ARCHIVE_FORMAT = "dangjian-audit-archive/1"


@dataclass
class ArchiveResult:
    count: int
    first: int
    last: int
    path: Path


def earliest_allowed_cut() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)


def _line(event: AuditEvent) -> bytes:
    row = chain.payload_of(event) | {"digest": event.digest}
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def archive_before(before: dt.date, path: Path) -> ArchiveResult:
    """Archive every row dated before ``before`` (Beijing time) to ``path``, then remove them from the database."""
    if before > earliest_allowed_cut():
        raise ValidationError(
            _("审计记录至少保存 %(d)d 天（网络安全法第二十一条）：归档日期不得晚于 %(cut)s")
            % {"d": settings.AUDIT_RETENTION_DAYS, "cut": earliest_allowed_cut().isoformat()}
        )
    if path.exists():
        raise ValidationError(_("归档文件已存在，不会覆盖：%(p)s") % {"p": path})
    cut_moment = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    secret = chain.key()
    with transaction.atomic():
        head = _lock_head()  # no one appends while rows leave; the lock is held until the rows are gone
        report = check_chain()
        if not report.intact:
            raise ValidationError(
                _("审计日志不完整（第 %(p)d 号：%(r)s），不能归档") % {"p": report.broken_at, "r": report.reason}
            )
        # Rows are archived as a prefix of the chain: up to the first row dated on or after the cut.
        first_kept = AuditEvent.objects.filter(at__gte=cut_moment).order_by("id").values_list("id", flat=True).first()
        rows = AuditEvent.objects.order_by("id")
        if first_kept is not None:
            rows = rows.filter(id__lt=first_kept)
        events = list(rows)
        if not events:
            raise ValidationError(_("%(d)s 之前没有审计记录，无需归档") % {"d": before.isoformat()})
        header = {
            "format": ARCHIVE_FORMAT,
            "genesis": head.genesis,
            "genesis_position": head.genesis_position,
            "first": events[0].id,
            "last": events[-1].id,
            "count": len(events),
            "head_digest": events[-1].digest,
            "before": before.isoformat(),
            "created_at": timezone.now().isoformat(),
            "algorithm": head.algorithm,
        }
        header["mac"] = chain.mac(head.algorithm, secret, "archive", chain.canonical(header))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(json.dumps(header, ensure_ascii=False, sort_keys=True).encode() + b"\n")
            for event in events:
                fh.write(_line(event))
            fh.flush()
            os.fsync(fh.fileno())  # on disk before a single row leaves the database
        # AuditEvent's own manager refuses deletion; the archive is the one path that removes rows.
        models.QuerySet.delete(AuditEvent.objects.filter(id__lte=events[-1].id))
        head.genesis, head.genesis_position = events[-1].digest, events[-1].id
        head.count -= len(events)
        _store_head(head, secret)
        record(
            "archive",
            None,
            object_type_label="audit.auditevent",
            object_repr=path.name[:200],
            detail={"count": len(events), "first": events[0].id, "last": events[-1].id, "before": before.isoformat()},
        )
    return ArchiveResult(len(events), events[0].id, events[-1].id, path)
