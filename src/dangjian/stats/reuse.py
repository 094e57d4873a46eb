"""Figures of a subtree and year reused between requests while the data they are computed from are unchanged.

A report's drill-down lists are paged: without reuse each page of a group's T1 change line would repeat the year's
change analysis, and each page of a T3 line the year's training hours. Reuse is exact, not a matter of the timeout:
the cache key holds a marker of the data (``marker``), so a write makes a new key and the next request computes
afresh. The entries are in the ``shared`` cache, which every process reads. Its timeout (setting
``STATS_CACHE_SECONDS``, default ten minutes) only bounds how long an entry whose key is no longer asked for stays,
and how long a write made outside the application's services, which the marker may miss (see ``marker``), can go
unseen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import translation

from dangjian.audit.models import AuditAction, AuditEvent
from dangjian.people.models import Membership

from .scope import Period, Subtree

T = TypeVar("T")


# the audit actions that change records; a login, an export or a view of sensitive data changes none, and a busy
# installation logs in all day: the marker ignores them, or every login would make the next drill-down recompute
WRITES = (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE, AuditAction.IMPORT, AuditAction.RESTORE)


def marker() -> str:
    """What changes whenever the records the statistics read change, in one cheap query.

    The last audit event of a write (``WRITES``): every write of the application's services is audited in its own
    transaction (a person's deletion, a meeting's attendance, a study record, an hour rate, a rule); found walking
    the chain back from its end, which passes only the reads and logins since that write. The memberships' count
    and last ``updated_at``: a membership written without an audit event (a bulk load, a data fix) still changes
    it (rows are never hard-deleted, and every save of a membership stamps ``updated_at``). Read before the figures:
    a write in between leaves an entry under the older marker, never a stale one under the newer.
    """
    events, memberships = AuditEvent._meta.db_table, Membership._meta.db_table
    writes = ", ".join(["%s"] * len(WRITES))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT id FROM {events} WHERE action IN ({writes}) ORDER BY id DESC LIMIT 1), COUNT(*),"
            f" MAX(updated_at) FROM {memberships}",
            [str(a) for a in WRITES],
        )
        row = cursor.fetchone()
    return ":".join(str(v) for v in row)


def reused(kind: str, scope: Subtree, period: Period, compute: Callable[[], T]) -> T:
    """``compute()``'s result for the subtree and year, from the cache while the marker is unchanged. Keyed by the
    language too: figures may hold translated sentences (the balance's listed problems).

    The entry is kept with the marker it was computed under, under a key without it: figures computed after a
    write replace the older ones instead of piling up beside them (a group's T3 figures take megabytes)."""
    paths = "*" if scope.paths is None else hashlib.sha256("|".join(scope.paths).encode()).hexdigest()[:32]
    mark = hashlib.sha256(marker().encode()).hexdigest()[:32]
    key = f"stats:{kind}:{period.year}:{translation.get_language()}:{paths}"
    shared = caches["shared"]  # every process's: a group's figures computed by one web worker serve the others
    found = shared.get(key)
    if found is not None and found[0] == mark:
        return found[1]
    result = compute()
    shared.set(key, (mark, result), settings.STATS_CACHE_SECONDS)
    return result
