"""Roster import and export of persons and their memberships (花名册导入导出).

The web views, the API and the ``import_roster`` management command use exactly
these names; the modules behind them are split by concept: ``columns`` (the
template's columns), ``reader`` (files to rows), ``cells`` (single cells),
``lookups`` (names to branches and departments), ``validate`` (every error at
once), ``apply`` (plan and bulk writes), ``export`` and ``template``.
"""

from .columns import COLUMNS
from .export import export_roster
from .importer import import_roster
from .report import ImportReport, RosterFileError, RowError
from .template import build_template

__all__ = [
    "COLUMNS",
    "ImportReport",
    "RosterFileError",
    "RowError",
    "build_template",
    "export_roster",
    "import_roster",
]
