"""The office's pages for indicator systems (list, detail, import and export, publish / new version / retire) and
assessment cycles; a unit's own result for its secretary; the 一支部一特色 pages (``brands``, ``brands_actions``)."""

from .actions import new_version, publish, retire
from .brands import brand_detail, brand_edit, brand_list, brand_new, evidence_file
from .brands_actions import brand_review, brand_submit, brand_withdraw, evidence_add, evidence_withdraw
from .cycle_lifecycle import cycle_adjust, cycle_adjustment_withdraw, cycle_advance
from .cycle_report import cycle_unit_docx
from .cycle_units import cycle_unit, occurrence_add, occurrence_withdraw
from .cycles import cycle_detail, cycle_export, cycle_list, cycle_open, cycle_recompute
from .objections import objection_answer, objection_list, objection_new
from .rectifications import (
    rectification_accept,
    rectification_complete,
    rectification_detail,
    rectification_edit,
    rectification_file,
    rectification_list,
    rectification_new,
    rectification_reopen,
    rectification_seed,
    rectification_withdraw,
)
from .systems import detail, export, import_page, system_list, template

__all__ = [
    "brand_detail",
    "brand_edit",
    "brand_list",
    "brand_new",
    "brand_review",
    "brand_submit",
    "brand_withdraw",
    "cycle_adjust",
    "cycle_adjustment_withdraw",
    "cycle_advance",
    "cycle_detail",
    "cycle_export",
    "cycle_list",
    "cycle_open",
    "cycle_recompute",
    "cycle_unit",
    "cycle_unit_docx",
    "detail",
    "evidence_add",
    "evidence_file",
    "evidence_withdraw",
    "export",
    "import_page",
    "new_version",
    "objection_answer",
    "objection_list",
    "objection_new",
    "occurrence_add",
    "occurrence_withdraw",
    "publish",
    "rectification_accept",
    "rectification_complete",
    "rectification_detail",
    "rectification_edit",
    "rectification_file",
    "rectification_list",
    "rectification_new",
    "rectification_reopen",
    "rectification_seed",
    "rectification_withdraw",
    "retire",
    "system_list",
    "template",
]
