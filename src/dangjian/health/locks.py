"""One lock per screening year, so that runs and consent withdrawals of a year take turns.

Without it, two officers with overlapping scopes running the same year would clash on the one-result-per-person-
year constraint, and a consent withdrawn while a run is scoring could be written back by that run (PIPL art. 15).
PostgreSQL: a transaction-level advisory lock; SQLite serialises writers anyway.
"""

from __future__ import annotations

from django.db import OperationalError, connection, transaction

NAMESPACE = 0x4A48  # pg_advisory_xact_lock(namespace, year)


class YearBusy(Exception):
    """The year's lock was not free within the wait allowed (a screening run of that year is in progress)."""


def lock_year(year: int, wait_seconds: int | None = None) -> None:
    """Call inside ``transaction.atomic()``; held until the transaction ends. With ``wait_seconds`` (a web request),
    give up with ``YearBusy`` instead of waiting for as long as a run takes."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if wait_seconds is not None:
            cursor.execute(f"SET LOCAL lock_timeout = '{int(wait_seconds)}s'")
        try:
            with transaction.atomic():  # a savepoint: the timeout error must not poison the caller's transaction
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [NAMESPACE, year])
        except OperationalError as exc:
            raise YearBusy(year) from exc
        finally:
            if wait_seconds is not None:
                cursor.execute("SET LOCAL lock_timeout = 0")
