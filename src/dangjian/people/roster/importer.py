"""``import_roster``: read, validate everything, then write everything or nothing.

Validation reads the database outside the write transaction so that, on
SQLite, the write lock is held only while rows are actually written; a
concurrent change that slips in between surfaces as a file-level error asking
to retry, never as a half-applied roster.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit import services as audit
from dangjian.sheets import capped_errors

from .apply import make_plan, write
from .lookups import Directory
from .reader import read_table
from .report import ImportReport, RosterFileError
from .validate import validate_rows

Progress = Callable[[int, int], None]


def import_roster(
    data: bytes,
    filename: str,
    *,
    user=None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a roster file (.xlsx or .csv) of persons and their current memberships.

    ``user`` None is a console import by an operator with full access; otherwise the
    user needs "people.import", sees only branches in that scope and may change only
    persons visible to him for "people.change". Nothing is written unless every row is
    valid, and nothing at all with ``dry_run``. ``progress(done, total)`` counts work
    units, each row once when checked and once when written, so done/total is a
    percentage a page can show. Raises RosterFileError for file-level problems and
    PermissionDenied when the user may not import.
    """
    scope = None
    if user is not None:
        from dangjian.accounts.scope import scope_for

        scope = scope_for(user, "people.import")
        if not (scope.everything or scope.has_orgs):
            raise PermissionDenied(_("无权导入花名册"))

    # The cycle collector stays on: pausing it (gc.disable, gc.freeze, raised thresholds) is process-wide, and
    # the server runs other requests meanwhile (issue 10). The cost was measured with bench/roster_import.py.
    return _import(data, filename, user=user, scope=scope, dry_run=dry_run, progress=progress)


def _import(data: bytes, filename: str, *, user, scope, dry_run: bool, progress: Progress | None) -> ImportReport:
    table = read_table(data, filename)
    rows = len(table.rows)
    total = 2 * rows

    def report_progress(done: int) -> None:
        if progress is not None:
            progress(min(done, total), total)

    report_progress(0)
    today = timezone.localdate()
    directory = Directory(scope)
    validated = validate_rows(
        table.rows, directory=directory, scope=scope, user=user, today=today, tick=report_progress
    )
    errors, more_errors = capped_errors(validated.errors)
    report = ImportReport(
        total_rows=rows,
        errors=errors,
        more_errors=more_errors,
        notes=validated.notes,
        dry_run=dry_run,
        filename=filename,
    )
    report_progress(rows)
    if not report.ok:
        report_progress(total)
        return report

    plan = make_plan(validated, today)
    report.created, report.updated, report.unchanged = plan.created, plan.updated, plan.unchanged
    report.memberships_changed = plan.memberships_changed
    if dry_run:
        report_progress(total)
        return report

    try:
        with transaction.atomic():
            events = write(plan, tick=lambda fraction: report_progress(rows + int(fraction * rows)))
            audit.record(
                "import",
                object_type_label="people.person",
                object_repr=f"花名册导入：{filename}"[:200],
                detail={
                    "file": filename,
                    "rows": rows,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "memberships_changed": report.memberships_changed,
                    "audit_events": events,
                },
            )
    except IntegrityError as exc:
        raise RosterFileError(
            "导入期间人员数据被其他操作修改（例如同时导入了相同人员），未写入任何数据，请重新导入"
        ) from exc
    report_progress(total)
    return report
