"""One lock per screening year, so that runs and consent withdrawals of a year take turns.

Without it, two officers with overlapping scopes running the same year would clash on the one-result-per-person-
year constraint, and a consent withdrawn while a run is scoring could be written back by that run (PIPL art. 15).
PostgreSQL: a transaction-level advisory lock; SQLite serialises writers anyway.
"""

from __future__ import annotations

from django.db import connection

NAMESPACE = 0x4A48  # pg_advisory_xact_lock(namespace, year)


def lock_year(year: int) -> None:
    """Call inside ``transaction.atomic()``; held until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [NAMESPACE, year])
