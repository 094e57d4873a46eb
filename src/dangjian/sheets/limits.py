"""The limits an uploaded sheet must stay within, from settings (each with an environment override).

Defaults: 20 MB a file, 200,000 rows, 200 columns, 5 million cells (rows x columns of the sheet's extent, which
is what a reader allocates), 32,767 characters a cell (Excel's own limit, "Excel specifications and limits"),
and 256 MB of uncompressed XML in the workbook (a 20 MB .xlsx deflates to about ten times its size).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import SheetError


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_columns: int
    max_cells: int
    max_cell_chars: int
    max_xml_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=settings.SHEETS_MAX_UPLOAD_BYTES,
            max_rows=settings.SHEETS_MAX_ROWS,
            max_columns=settings.SHEETS_MAX_COLUMNS,
            max_cells=settings.SHEETS_MAX_CELLS,
            max_cell_chars=settings.SHEETS_MAX_CELL_CHARS,
            max_xml_bytes=settings.SHEETS_MAX_XML_BYTES,
        )

    def check_size(self, size: int) -> None:
        if size > self.max_bytes:
            raise SheetError(
                _("文件大小 %(size)s 超过上限 %(limit)s，请拆分后分批导入")
                % {"size": megabytes(size), "limit": megabytes(self.max_bytes)}
            )

    def check_extent(self, rows: int, columns: int, *, declared: bool = False) -> None:
        """Rows and columns as the sheet spans them (the last row and column number, empty cells included)."""
        if rows <= self.max_rows and columns <= self.max_columns and rows * columns <= self.max_cells:
            return
        where = _("工作表声明的范围") if declared else _("工作表")
        if rows > self.max_rows:
            raise SheetError(
                _("%(where)s有 %(rows)s 行，超过上限 %(limit)s 行，请拆分后分批导入")
                % {"where": where, "rows": rows, "limit": self.max_rows}
            )
        if columns > self.max_columns:
            raise SheetError(
                _("%(where)s有 %(columns)s 列，超过上限 %(limit)s 列，请删除多余的列")
                % {"where": where, "columns": columns, "limit": self.max_columns}
            )
        if rows * columns > self.max_cells:
            raise SheetError(
                _("%(where)s有 %(rows)s 行 × %(columns)s 列，超过 %(limit)s 个单元格的上限，请拆分后分批导入")
                % {"where": where, "rows": rows, "columns": columns, "limit": self.max_cells}
            )

    def check_cell(self, value: object, row: int, column: int) -> None:
        if isinstance(value, str) and len(value) > self.max_cell_chars:
            raise SheetError(
                _("第%(row)s行第%(column)s列的内容有 %(n)s 个字符，超过每个单元格 %(limit)s 个字符的上限")
                % {"row": row, "column": column, "n": len(value), "limit": self.max_cell_chars}
            )

    def xml_too_large(self, name: str, size: int) -> SheetError:
        return SheetError(
            _("工作簿中的 %(name)s 解压后有 %(size)s，超过上限 %(limit)s，请拆分后分批导入")
            % {"name": name, "size": megabytes(size), "limit": megabytes(self.max_xml_bytes)}
        )


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size % (1024 * 1024) else f"{size // 1024 // 1024} MB"
