"""Writing a workbook: one version (or the empty template), laid out as the import reads it back."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from dangjian.audit.services import record
from dangjian.sheets.writer import NUMBER, Book, Column

from .. import scoring, services
from ..models import AppliesTo, IndicatorSystem, Method
from ..tree import Node, from_rows
from .columns import (
    APPLIES,
    BANDS,
    BONUS_CAP,
    CITATION,
    DEPARTMENT,
    DESCRIPTION,
    EVIDENCE,
    FROM,
    HEADER_ITEMS,
    HEADER_SHEET,
    ITEM,
    L1,
    L2,
    LEAF,
    LEVEL_JOIN,
    METHOD,
    NAME,
    NOTE,
    PARAMS,
    POINTS,
    QUOTAS,
    SHEET,
    TO,
    TOTAL,
    VALUE,
)


def _indicator_columns() -> list[Column]:
    return [
        Column(L1, 16, required=True),
        Column(L2, 16, required=True),
        Column(LEAF, 24, required=True),
        Column(POINTS, 8, NUMBER, required=True),
        Column(DESCRIPTION, 40),
        Column(METHOD, 10, required=True),
        Column(PARAMS, 30),
        Column(DEPARTMENT, 10),
        Column(EVIDENCE, 30),
        Column(CITATION, 30),
    ]


def _ordered(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters in the order a person writes them (kind, then its own parameters, then the rest): PostgreSQL's
    jsonb keeps keys in its own order, and an export must read the same from either database."""
    first = ["kind", "combine", *scoring.REQUIRED.get(str(params.get("kind")), ())]
    keys = [k for k in first if k in params] + sorted(k for k in params if k not in first)
    return {k: params[k] for k in keys}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str) if value else ""


def build(system: IndicatorSystem | None) -> bytes:
    """The system as a workbook the import reads back (``None``: the empty template with its instructions)."""
    book = Book()
    title = str(system) if system else _("指标体系导入模板")
    sheet = book.list_sheet(SHEET, title, _indicator_columns())
    if system is not None:
        for path, leaf in _paths(from_rows(system.indicators.all())):
            l1, middle = (path[0], path[1:]) if path else ("", [])
            params = {**_ordered(leaf.params), **({"fact": leaf.fact_key} if leaf.fact_key else {})}
            sheet.append(
                [
                    l1,
                    LEVEL_JOIN.join(middle),
                    leaf.name,
                    leaf.points,
                    leaf.description,
                    str(Method(leaf.method).label),
                    _json(params),
                    leaf.scoring_department,
                    leaf.evidence,
                    leaf.citation,
                ]
            )
    info = book.list_sheet(HEADER_SHEET, _("体系信息"), [Column(ITEM, 12), Column(VALUE, 60)], numbered=False)
    if system is not None:
        values = {
            NAME: system.name,
            APPLIES: str(AppliesTo(system.applies_to).label),
            FROM: system.valid_from,
            TO: system.valid_to if system.valid_to is not None else "",
            TOTAL: system.total_points,
            BONUS_CAP: system.bonus_cap,
            BANDS: _json(system.bands),
            QUOTAS: _json(system.quotas),
            NOTE: system.note,
        }
    else:
        values = {
            NAME: "",
            APPLIES: str(AppliesTo.BRANCH.label),
            BANDS: '[[90, "好"], [80, "较好"], [70, "一般"], [0, "差"]]',
        }
        values |= {QUOTAS: '{"好": 0.3}', TOTAL: 100, BONUS_CAP: 5, FROM: ""}
    for item in HEADER_ITEMS:
        info.append([item, values.get(item, "")])
    lines = (
        _("1. “指标”表每行一个评分项：一级、二级、评分项为所在层级（更深的层级写在“二级”中，以“／”分隔）。"),
        _("2. 方法：自动计分 / 人工评分 / 扣分项 / 加分项 / 一票否决。自动计分、人工评分的分值合计应等于总分。"),
        _(
            "3. 参数为 JSON：自动计分写 kind（ratio / linear / threshold / steps / per_occurrence）、其参数和 fact"
            '（事实的键，见“事实与指标”页面），如 {"kind": "linear", "from": 60, "to": 100, "fact": '
            '"compliance.rate"}；扣分项、加分项写 combine：highest（取最高）或 sum（累计，不超过分值）。'
        ),
        _("4. “体系”表：等次为 [[最低分, 名称], …]，名额比例为 {等次名称: 最高比例}。"),
        _("5. 导入时检查全部单元格，任何一处有错误都不会写入，并列出所有错误的表、行号、列名和原因。"),
    )
    book.notes(_("说明"), _("填写说明"), [[line] for line in lines])
    return book.to_bytes()


def _paths(nodes: list[Node], prefix: tuple[str, ...] = ()) -> list[tuple[list[str], Node]]:
    out: list[tuple[list[str], Node]] = []
    for node in nodes:
        if node.is_leaf:
            out.append((list(prefix), node))
        else:
            out += _paths(node.children, (*prefix, node.name))
    return out


def export_system(user: Any, system: IndicatorSystem) -> bytes:
    """The workbook of one version, audited as an export."""
    services.require_manage(user)
    content = build(system)
    record("export", system, detail={"format": "xlsx"})
    return content
