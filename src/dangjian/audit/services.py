"""Writing and verifying the audit log. Every service that writes calls ``record``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from dangjian.core import context

from . import chain
from .models import AuditChainHead, AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, exclude: tuple[str, ...] = ("created_at", "updated_at")) -> dict[str, Any]:
    """Concrete field values of a row, JSON-ready (foreign keys as ids). Encrypted fields are left out: the audit log
    is kept in plain text for years and must not hold the texts that are encrypted at rest (``dangjian.crypto``)."""
    out: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if f.name in exclude or getattr(f, "sealed", False):
            continue
        out[f.attname] = _jsonable(getattr(instance, f.attname))
    return out


def object_type(instance_or_model) -> str:
    return instance_or_model._meta.label_lower


def object_types(instance_or_model) -> tuple[str, ...]:
    """The label new rows get and the labels older rows kept: a model moved to another app names its former
    labels (``audit_former_labels``), since a written row is never changed (its digest covers the label)."""
    return (object_type(instance_or_model), *getattr(instance_or_model, "audit_former_labels", ()))


def _now():
    # Milliseconds only: backups (Django's JSON serializer) keep no more, and the hash covers the time.
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _lock_head() -> AuditChainHead:
    """The chain head, locked until the transaction ends (SELECT ... FOR UPDATE on PostgreSQL; SQLite runs
    IMMEDIATE transactions, one writer at a time), so concurrent writers cannot fork the chain."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # A database without a head (new, or flushed by a restore before loading) continues after the highest
        # id present, so a new row never collides; if rows exist, verification then fails, as it should.
        last = AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0
        AuditChainHead.objects.get_or_create(
            pk=1, defaults={"digest": chain.GENESIS, "position": last, "genesis_position": last}
        )
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _append(head: AuditChainHead, events: list[AuditEvent], secret: bytes) -> None:
    """Give each event its position (its id) and keyed digest, advancing the head in memory."""
    algorithm = chain.keyed(settings.AUDIT_HASH_ALGORITHM)
    for event in events:
        event.id = head.position + 1
        event.algorithm = algorithm
        event.prev_digest = head.digest
        event.digest = chain.link(algorithm, secret, head.digest, chain.payload_of(event))
        head.position, head.digest, head.count = event.id, event.digest, head.count + 1
    head.algorithm = algorithm


def _store_head(head: AuditChainHead, secret: bytes) -> None:
    head.mac = chain.head_mac(head, secret)
    AuditChainHead.objects.filter(pk=head.pk).update(
        digest=head.digest,
        position=head.position,
        count=head.count,
        genesis=head.genesis,
        genesis_position=head.genesis_position,
        algorithm=head.algorithm,
        mac=head.mac,
    )


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
    object_type_label: str = "",
    object_repr: str = "",
) -> AuditEvent:
    ctx = context.current()
    user = ctx.user if getattr(ctx.user, "pk", None) else None
    secret = chain.key()
    with transaction.atomic():
        head = _lock_head()
        # Round-trip through JSON so the hashed payload equals what the database returns.
        event = AuditEvent(
            at=_now(),
            actor=user,
            actor_name=user.get_username() if user else ctx.channel,
            channel=ctx.channel,
            ip=ctx.ip,
            request_id=ctx.request_id,
            action=action,
            object_type=object_type(obj) if obj is not None else object_type_label,
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
            before=_roundtrip(before),
            after=_roundtrip(after),
            detail=_roundtrip(detail),
        )
        _append(head, [event], secret)
        event.save(force_insert=True)
        _store_head(head, secret)
    return event


def _roundtrip(value: Any) -> Any:
    return None if value is None else json.loads(chain.canonical(value))


def verify_chain() -> tuple[bool, int | None]:
    """Walk the whole log and compare it with the stored head; return (intact, first broken position)."""
    from .integrity import check_chain

    report = check_chain()
    return report.intact, report.broken_at


def history_of(obj: models.Model):
    return AuditEvent.objects.filter(object_type__in=object_types(obj), object_id=str(obj.pk)).select_related("actor")


def record_many(entries: list[dict[str, Any]]) -> int:
    """Append many events at once (imports, bulk loads), chained in one lock.

    Each entry has the keyword arguments of ``record``: action, obj or
    object_type_label/object_repr, before, after, detail.
    """
    if not entries:
        return 0
    ctx = context.current()
    user = ctx.user if getattr(ctx.user, "pk", None) else None
    secret = chain.key()
    now = _now()
    with transaction.atomic():
        head = _lock_head()
        rows: list[AuditEvent] = []
        for entry in entries:
            obj = entry.get("obj")
            rows.append(
                AuditEvent(
                    at=now,
                    actor=user,
                    actor_name=user.get_username() if user else ctx.channel,
                    channel=ctx.channel,
                    ip=ctx.ip,
                    request_id=ctx.request_id,
                    action=entry["action"],
                    object_type=object_type(obj) if obj is not None else entry.get("object_type_label", ""),
                    object_id=str(obj.pk) if obj is not None else str(entry.get("object_id", "")),
                    object_repr=(entry.get("object_repr") or (str(obj) if obj is not None else ""))[:200],
                    before=_roundtrip(entry.get("before")),
                    after=_roundtrip(entry.get("after")),
                    detail=_roundtrip(entry.get("detail")),
                )
            )
        _append(head, rows, secret)
        AuditEvent.objects.bulk_create(rows, batch_size=2000)
        _store_head(head, secret)
    return len(rows)


def save_changes(instance: models.Model, data: dict[str, Any], *, clean_exclude: tuple[str, ...] = ()) -> bool:
    """Apply ``data`` to a row already locked in scope, validate, save, and audit the difference.

    Returns whether anything changed; an unchanged row writes no audit event.
    """
    before = snapshot(instance)
    for field, value in data.items():
        setattr(instance, field, value)
    instance.full_clean(exclude=list(clean_exclude) or None)
    instance.save()
    after = snapshot(instance)
    if after == before:
        return False
    record("update", instance, before=before, after=after)
    return True
