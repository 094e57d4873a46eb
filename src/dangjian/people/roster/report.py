"""What an import tells its caller: row errors, counts and notes, or a file-level error.

The report is a plain dataclass of ints and strings so that a background job
can store ``dataclasses.asdict(report)`` as JSON and a page can show it later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dangjian.sheets import SheetError
from dangjian.sheets.report import RowError

# The roster's name for the file-level error every importer shares (dangjian.sheets).
RosterFileError = SheetError

__all__ = ["ImportReport", "RosterFileError", "RowError"]


@dataclass
class ImportReport:
    """The outcome of one import or dry run.

    ``created + updated + unchanged == total_rows`` when ``ok``: an existing
    person counts as updated when any field or the membership changed.
    A dry run reports the same numbers an import would produce, without writing.
    """

    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    memberships_changed: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    filename: str = ""
    more_errors: int = 0  # errors past the first SHEETS_MAX_REPORTED_ERRORS, counted but not kept

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors

    def summary(self) -> str:
        head = "预检" if self.dry_run else "导入"
        if not self.ok:
            return f"{head}未通过：共{self.total_rows}行，发现{self.error_count}处错误，未写入任何数据"
        verb = "将" if self.dry_run else "已"
        return (
            f"{head}完成：共{self.total_rows}行，{verb}新增{self.created}人，{verb}更新{self.updated}人，"
            f"未变化{self.unchanged}人，党员组织关系变动{self.memberships_changed}人"
        )
