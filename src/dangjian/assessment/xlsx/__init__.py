"""An indicator system as .xlsx, both ways: the office drafts a system in Excel and imports it; any version exports.

Sheet 指标: one row per 评分项 with the columns 一级/二级/评分项/分值/评分说明/方法/参数/打分部门/佐证/依据. The path of
a leaf is 一级, then 二级 (deeper levels joined with "／"), then 评分项; blank cells are skipped, and rows sharing
the start of a path share those indicators. 参数 is a JSON object (an ``auto`` leaf names its fact as "fact").
Sheet 体系: the system's own fields, one per row (项目/内容).

Every cell is checked before anything is written; every problem is reported with its sheet, row and column, and
nothing is written unless the whole file is valid (as the roster and pay-sheet imports do). An export read back
imports as it is, so a system moves between installations.
"""

from .columns import COLUMNS, HEADER_SHEET, LEVEL_JOIN, SHEET
from .reading import ImportResult, Problem, import_system
from .writing import build, export_system

__all__ = [
    "COLUMNS",
    "HEADER_SHEET",
    "LEVEL_JOIN",
    "SHEET",
    "ImportResult",
    "Problem",
    "build",
    "export_system",
    "import_system",
]
