"""The office's pages for indicator systems and assessment cycles; a unit's own result for its secretary."""

from .actions import new_version, publish, retire
from .cycle_units import cycle_unit, occurrence_add, occurrence_withdraw
from .cycles import cycle_detail, cycle_export, cycle_list, cycle_open, cycle_recompute
from .systems import detail, export, import_page, system_list, template

__all__ = [
    "cycle_detail",
    "cycle_export",
    "cycle_list",
    "cycle_open",
    "cycle_recompute",
    "cycle_unit",
    "detail",
    "export",
    "import_page",
    "new_version",
    "occurrence_add",
    "occurrence_withdraw",
    "publish",
    "retire",
    "system_list",
    "template",
]
