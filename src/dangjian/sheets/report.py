"""The report every all-or-nothing import returns: its row errors, whether it passed, and one summary line.

Each importer (roster, pay sheet, payroll deduction, care events, checkups) checks every row before writing and
writes the whole file or nothing, so each reports the same way: every bad cell with its Excel row and column, the
count of errors past the cap (``capped_errors``), and a first sentence that says nothing was written. The shape
lives here once; an importer adds its own counts and says, in ``done``, what a passing file did or would do.

The report is a plain dataclass of ints and strings so that a background job can store
``dataclasses.asdict(report)`` as JSON and a page can show it later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .errors import capped_errors


@dataclass(frozen=True)
class RowError:
    """One problem in one cell. ``row`` is the row number the user sees in Excel (header = 1)."""

    row: int
    column: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        return _("第%(row)s行 [%(column)s] %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(kw_only=True)
class SheetReport:
    """The shared part of an import's outcome; subclasses add their counts (keyword-only here, so that a
    subclass may still declare fields without defaults)."""

    total_rows: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0  # errors past the first SHEETS_MAX_REPORTED_ERRORS, counted but not kept

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors

    def cap_errors(self) -> None:
        """Keep the first errors only and count the rest (see ``capped_errors``)."""
        self.errors, self.more_errors = capped_errors(self.errors)

    def summary(self) -> str:
        if not self.ok:
            head = _("预检未通过") if self.dry_run else _("导入未通过")
            return _("%(head)s：共%(rows)s行，发现%(n)s处错误，未写入任何数据") % {
                "head": head,
                "rows": self.total_rows,
                "n": self.error_count,
            }
        return self.done()

    def done(self) -> str:
        """What a file that passed did (or, in a dry run, would do): one sentence for the page."""
        raise NotImplementedError

    def as_rows(self) -> list[tuple[int, str, str, str]]:
        """The kept errors as (row, column, message, value) rows, for an error sheet or a table."""
        return [(e.row, e.column, e.message, e.value) for e in self.errors]
