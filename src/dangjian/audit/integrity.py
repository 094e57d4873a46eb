"""Verifying the audit chain against its stored head and against a checkpoint kept outside the system.

等保 三级 (GB/T 22239-2019 8.1.4.3 c) asks that audit records be protected against deletion, modification and
overwriting. The chain catches a changed or removed row; the head (position, count, last digest, under an HMAC)
catches the removal of the last rows; a checkpoint the auditor keeps outside the system catches even a rewrite by
someone who holds the key, up to the checkpoint's position.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import keys

from . import chain
from .models import AuditChainHead, AuditEvent

CHECKPOINT_FORMAT = "dangjian-audit-checkpoint/1"
CHECKPOINT_MAX_BYTES = 4096


@dataclass
class ChainReport:
    intact: bool
    broken_at: int | None = None
    reason: str = ""
    count: int = 0
    position: int = 0
    note: str = ""


def _broken(position: int, reason: str, count: int, last: int) -> ChainReport:
    return ChainReport(False, position, reason, count, last)


def check_chain(checkpoint: dict[str, Any] | None = None) -> ChainReport:
    """Walk every live row in position order, then compare the end of the walk with the stored head and, if
    given, with a checkpoint. The first broken position is reported (rows before it are intact)."""
    secret = chain.key()
    head = AuditChainHead.objects.filter(pk=1).first()
    prev = head.genesis if head else chain.GENESIS
    last = head.genesis_position if head else 0
    count = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.id <= last:
            return _broken(event.id, _("记录位置早于链的起点（归档分界）"), count, last)
        if not event.algorithm.startswith(chain.KEYED_PREFIX):
            return _broken(event.id, _("记录未用审计密钥计算（无密钥的哈希任何人都能重算）"), count, last)
        if event.prev_digest != prev or not chain.same(
            chain.link(event.algorithm, secret, prev, chain.payload_of(event)), event.digest
        ):
            if event.id > last + 1 and chain.same(
                chain.link(event.algorithm, secret, event.prev_digest, chain.payload_of(event)), event.digest
            ):
                # The row itself is sound but follows a gap: the rows in the gap were deleted (positions are
                # given one by one under the head's lock), so the first broken position is the first missing one.
                reason = _("第 %(a)d 至 %(b)d 号记录被删除") % {"a": last + 1, "b": event.id - 1}
                return _broken(last + 1, reason, count, last)
            return _broken(event.id, _("该记录被改动或插入，或其前面的记录被删除"), count, last)
        prev, last, count = event.digest, event.id, count + 1
    if head is None:
        if count:
            return _broken(last + 1, _("链头记录缺失"), count, last)
        report = ChainReport(True, count=0, position=0)
    elif not head.mac or not chain.same(chain.head_mac(head, secret), head.mac):
        return _broken(last + 1, _("链头签名无效：链头被改动，末尾的记录可能已被删除"), count, last)
    elif last < head.position:
        reason = _("末尾的记录被删除：链头记载至第 %(n)d 号") % {"n": head.position}
        return _broken(last + 1, reason, count, last)
    elif last > head.position or count != head.count or prev != head.digest:
        return _broken(head.position + 1, _("记录与链头不符：链头之后出现了未登记的记录"), count, last)
    else:
        report = ChainReport(True, count=count, position=last)
    if checkpoint is not None:
        return _against_checkpoint(report, head, checkpoint, secret)
    return report


def _against_checkpoint(report: ChainReport, head, checkpoint: dict[str, Any], secret: bytes) -> ChainReport:
    position, digest = checkpoint["position"], checkpoint["digest"]
    if position > report.position:
        reason = _("检查点记载至第 %(p)d 号，日志只到第 %(n)d 号：末尾的记录被删除") % {
            "p": position,
            "n": report.position,
        }
        return _broken(report.position + 1, reason, report.count, report.position)
    genesis_position = head.genesis_position if head else 0
    if position < genesis_position:
        report.note = _("检查点（第 %(p)d 号）早于归档分界（第 %(g)d 号），请对照归档文件核对") % {
            "p": position,
            "g": genesis_position,
        }
        return report
    if position == genesis_position:
        found = head.genesis if head else chain.GENESIS
    else:
        found = AuditEvent.objects.filter(id=position).values_list("digest", flat=True).first()
    if found is None or not chain.same(found, digest):
        reason = _("与检查点不符：第 %(p)d 号及其之前的记录被改写") % {"p": position}
        return _broken(position, reason, report.count, report.position)
    report.note = _("与检查点（第 %(p)d 号，%(at)s）一致") % {"p": position, "at": checkpoint.get("at", "")}
    return report


def make_checkpoint() -> dict[str, Any]:
    """A signed statement of the head now, for the auditor to keep outside the system."""
    report = check_chain()
    if not report.intact:
        raise ValidationError(
            _("审计日志不完整（第 %(p)d 号：%(r)s），不能导出检查点")
            % {
                "p": report.broken_at,
                "r": report.reason,
            }
        )
    secret = chain.key()
    head = AuditChainHead.objects.filter(pk=1).first()
    checkpoint = {
        "format": CHECKPOINT_FORMAT,
        "position": report.position,
        "count": report.count,
        "digest": head.digest if head else chain.GENESIS,
        "at": timezone.now().isoformat(),
        "algorithm": head.algorithm if head else chain.keyed("sm3"),
        "key_id": keys.key_id(secret),
    }
    checkpoint["mac"] = chain.checkpoint_mac(checkpoint, secret)
    return checkpoint


def checkpoint_bytes(checkpoint: dict[str, Any]) -> bytes:
    return json.dumps(checkpoint, ensure_ascii=False, indent=2).encode() + b"\n"


def load_checkpoint(data: bytes) -> dict[str, Any]:
    """Parse and authenticate a checkpoint file; a Chinese ValidationError otherwise."""
    if len(data) > CHECKPOINT_MAX_BYTES:
        raise ValidationError(_("检查点文件过大，不是本系统导出的检查点"))
    try:
        checkpoint = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(_("检查点文件不是有效的 JSON")) from None
    if (
        not isinstance(checkpoint, dict)
        or checkpoint.get("format") != CHECKPOINT_FORMAT
        or not isinstance(checkpoint.get("position"), int)
        or not isinstance(checkpoint.get("digest"), str)
        or not isinstance(checkpoint.get("mac"), str)
    ):
        raise ValidationError(_("检查点文件格式不符"))
    secret = chain.key()
    try:
        valid = chain.same(chain.checkpoint_mac(checkpoint, secret), checkpoint["mac"])
    except ValueError:
        valid = False
    if not valid:
        raise ValidationError(
            _("检查点签名无效：文件被改动，或不是用当前审计密钥（%(k)s）导出的") % {"k": keys.key_id(secret)}
        )
    return checkpoint
