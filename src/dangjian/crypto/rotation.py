"""``dangjian rotate-key``: every encrypted value rewritten under the newest key and the configured algorithm.

Which columns: every ``SealedTextField`` of every model, and the columns a model declares in ``SEALED`` (a
``Sealed``: blob fields, the columns their context is made of, the key id column). Rows are read in primary-key
order in batches; each batch is one transaction that locks its rows (``SELECT … FOR UPDATE``) so a concurrent edit
is neither lost nor overwritten with an older value, and each batch is committed before the next one: a run that is
interrupted keeps what it did, and running it again skips every value already under the newest key
(``KeyRing.is_current``), so it finishes the rest. ``updated_at`` is left alone: a re-encryption is not an edit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.models import ExpressionWrapper, F

from .fields import SealedTextField
from .sealing import KeyRing, parse_header

BATCH = 500


@dataclass(frozen=True)
class Sealed:
    """How a model's own encrypted columns are read: ``context(row, field)`` gives the associated data of the value
    in ``field`` from the row's ``needs`` columns (a dict); ``key_id_field`` names the column that held the key id
    of values written before the format had a header."""

    fields: tuple[str, ...]
    context: Callable[[dict, str], str]
    needs: tuple[str, ...] = ()
    key_id_field: str | None = None


@dataclass(frozen=True)
class Columns:
    model: type[models.Model]
    sealed: Sealed

    @property
    def label(self) -> str:
        return self.model._meta.label


def _field_context(contexts: dict[str, str]) -> Callable[[dict, str], str]:
    return lambda row, name: contexts[name]


def encrypted_columns() -> list[Columns]:
    found = []
    for model in apps.get_models():
        declared = getattr(model, "SEALED", None)
        if isinstance(declared, Sealed):
            found.append(Columns(model, declared))
        own = {f.name: f.context for f in model._meta.concrete_fields if isinstance(f, SealedTextField)}
        if own:
            found.append(Columns(model, Sealed(tuple(own), _field_context(own))))
    return sorted(found, key=lambda c: c.label)


def _raw(name: str) -> str:
    return f"sealed_raw_{name}"


def _rows(columns: Columns, after_pk, batch: int, lock: bool) -> list[dict]:
    """Up to ``batch`` rows after ``after_pk``: pk, the context columns and the stored bytes (not decrypted)."""
    s = columns.sealed
    qs = columns.model._base_manager.order_by("pk")
    if after_pk is not None:  # None: from the start (a primary key may be a UUID)
        qs = qs.filter(pk__gt=after_pk)
    if lock:
        qs = qs.select_for_update()
    raw = {_raw(f): ExpressionWrapper(F(f), output_field=models.BinaryField()) for f in s.fields}
    names = ["pk", *s.needs, *([s.key_id_field] if s.key_id_field else []), *raw]
    return list(qs.annotate(**raw).values(*names)[:batch])


def _walk(columns: Columns, batch: int, lock: bool) -> Iterator[list[dict]]:
    after = None
    while True:
        rows = _rows(columns, after, batch, lock)
        if not rows:
            return
        yield rows
        after = rows[-1]["pk"]


def status(ring: KeyRing) -> dict[str, Counter]:
    """Per model label: how many values under each algorithm and key id (``legacy`` when written before the
    header), and how many are not yet under the newest key and the configured algorithm (``to_rewrite``)."""
    out: dict[str, Counter] = {}
    for columns in encrypted_columns():
        counts: Counter = Counter()
        for rows in _walk(columns, BATCH, lock=False):
            for row in rows:
                for f in columns.sealed.fields:
                    blob = row[_raw(f)]
                    if blob is None:
                        continue
                    header = parse_header(blob)
                    counts[f"{header.algorithm}:{header.key_id}" if header else "legacy"] += 1
                    counts["to_rewrite"] += not ring.is_current(blob)
        out[columns.label] = counts
    return out


def rotate(ring: KeyRing, done: Counter, *, batch: int = BATCH, limit: int | None = None, progress=None) -> bool:
    """Rewrite every value not under the newest key; at most about ``limit`` values this run (whole batches).
    Counts the values rewritten per model label in ``done`` (committed ones, also when an error stops the run);
    True when every value is now current."""
    for columns in encrypted_columns():
        s = columns.sealed
        after = None
        while True:
            if limit is not None and sum(done.values()) >= limit:
                return False
            with transaction.atomic():
                rows = _rows(columns, after, batch, lock=True)
                if not rows:
                    break
                after = rows[-1]["pk"]
                groups: dict[tuple[str, ...], list[models.Model]] = {}
                rewritten = 0
                for row in rows:
                    values = {}
                    for f in s.fields:
                        blob = row[_raw(f)]
                        if blob is not None and not ring.is_current(blob):
                            legacy = row[s.key_id_field] if s.key_id_field else None
                            values[f] = ring.reseal(blob, s.context(row, f), legacy)
                    if not values:
                        continue
                    rewritten += len(values)
                    if s.key_id_field:
                        values[s.key_id_field] = ring.key_id
                    groups.setdefault(tuple(values), []).append(columns.model(pk=row["pk"], **values))
                for names, objs in groups.items():
                    columns.model._base_manager.bulk_update(objs, list(names))
            done[columns.label] += rewritten  # committed
            if progress:
                progress(columns.label, done[columns.label])
    return True
