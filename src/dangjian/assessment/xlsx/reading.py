"""Reading a workbook: every cell checked, every problem reported with its sheet, row and column; all or nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core.contributions import fact_definitions
from dangjian.sheets import SheetError, capped_errors, find_header, read_rows

from .. import scoring, services
from ..models import IndicatorSystem, SystemStatus
from ..tree import Node, node_problems, total_problems, walk
from .columns import (
    APPLIES,
    APPLIES_BY_WORD,
    BANDS,
    BONUS_CAP,
    CITATION,
    COLUMNS,
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
    METHOD_BY_WORD,
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


@dataclass(frozen=True)
class Problem:
    """One problem in one cell (``row`` as Excel numbers it), or in the file as a whole (row 0)."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        return _("%(sheet)s表第%(row)d行 [%(column)s] %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    more: int = 0
    system: IndicatorSystem | None = None
    leaves: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decimal(value: Any) -> Decimal:
    if isinstance(value, str):
        value = value.strip()
        try:
            value = Decimal(value)
        except ArithmeticError:
            raise ValueError(value) from None
    return scoring.number(value)


def _table(data: bytes, filename: str, sheet: str, wanted: tuple[str, ...]) -> list[tuple[int, dict[str, Any]]]:
    raw = read_rows(data, filename, sheet=sheet)
    index = find_header(raw)
    if index is None:
        raise SheetError(_("“%(sheet)s”表为空") % {"sheet": sheet})
    header = ["".join(_text(v).split()).lstrip("*＊") for v in raw[index]]
    positions = {name: i for i, name in enumerate(header) if name in wanted}
    missing = [c for c in wanted if c not in positions]
    if missing:
        raise SheetError(
            _("“%(sheet)s”表第%(row)d行表头缺少列：%(missing)s；表头应为：%(columns)s")
            % {"sheet": sheet, "row": index + 1, "missing": "、".join(missing), "columns": "、".join(wanted)}
        )
    rows = []
    for i in range(index + 1, len(raw)):
        cells = {name: (raw[i][p] if p < len(raw[i]) else None) for name, p in positions.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        rows.append((i + 1, cells))
    return rows


def _header(rows: list[tuple[int, dict[str, Any]]], problems: list[Problem]) -> services.SystemData | None:
    values: dict[str, tuple[int, Any]] = {}
    for row, cells in rows:
        item = _text(cells[ITEM])
        if item not in HEADER_ITEMS:
            problems.append(Problem(HEADER_SHEET, row, ITEM, _("未知的项目“%(item)s”") % {"item": item}))
        else:
            values[item] = (row, cells[VALUE])
    before = len(problems)

    def bad(item: str, message: str) -> None:
        problems.append(Problem(HEADER_SHEET, values.get(item, (0, None))[0] or 0, item, message))

    def get(item: str, parse: Any, required: bool = True) -> Any:
        row, raw = values.get(item, (0, None))
        if _text(raw) == "":
            if required:
                problems.append(Problem(HEADER_SHEET, row or 1, item, _("请填写“%(item)s”") % {"item": item}))
            return None
        try:
            return parse(raw)
        except (ValueError, TypeError, ArithmeticError):
            bad(item, _("“%(value)s”格式不正确") % {"value": _text(raw)})
            return None

    name = get(NAME, _text)
    applies = get(APPLIES, lambda v: APPLIES_BY_WORD[_text(v)] if _text(v) in APPLIES_BY_WORD else _raise())
    year_from = get(FROM, lambda v: int(_decimal(v)))
    year_to = get(TO, lambda v: int(_decimal(v)), required=False)
    total = get(TOTAL, _decimal)
    cap = get(BONUS_CAP, _decimal, required=False)
    bands = get(BANDS, lambda v: json.loads(_text(v)))
    quotas = get(QUOTAS, lambda v: json.loads(_text(v)), required=False)
    note = get(NOTE, _text, required=False)
    if len(problems) > before:
        return None
    data = services.SystemData(
        name=name,
        applies_to=applies,
        valid_from=year_from,
        valid_to=year_to,
        total_points=total,
        bonus_cap=cap if cap is not None else Decimal(0),
        bands=bands,
        quotas=quotas or {},
        note=note or "",
    )
    for message in services.header_problems(data):
        problems.append(Problem(HEADER_SHEET, 0, "", message))
    return data


def _raise() -> Any:
    raise ValueError


def _leaves(rows: list[tuple[int, dict[str, Any]]], problems: list[Problem]) -> list[Node]:
    """The tree the rows describe; a path that is a leaf on one row and a parent on another is an error."""
    roots: list[Node] = []
    inner: dict[tuple[str, ...], Node] = {}
    leaves: dict[tuple[str, ...], int] = {}
    for row, cells in rows:
        path = tuple(
            p for p in [_text(cells[L1]), *_text(cells[L2]).split(LEVEL_JOIN), _text(cells[LEAF])] if p.strip()
        )
        node = Node(name=path[-1] if path else "", where=_("指标表第%(row)d行") % {"row": row})

        def bad(column: str, message: str, _row: int = row, _node: Node = node) -> None:
            problems.append(Problem(SHEET, _row, column, message))
            _node.reported = True

        if not path:
            bad(LEAF, _("请填写评分项名称"))
            continue
        node.description, node.evidence = _text(cells[DESCRIPTION]), _text(cells[EVIDENCE])
        node.scoring_department, node.citation = _text(cells[DEPARTMENT]), _text(cells[CITATION])
        try:
            node.points = _decimal(cells[POINTS])
        except ValueError:
            bad(POINTS, _("分值应为数值"))
        method = _text(cells[METHOD])
        if method not in METHOD_BY_WORD:
            bad(METHOD, _("方法应为 自动计分 / 人工评分 / 扣分项 / 加分项 / 一票否决 之一"))
        node.method = METHOD_BY_WORD.get(method, "")
        raw_params = _text(cells[PARAMS])
        try:
            params = json.loads(raw_params) if raw_params else {}
            if not isinstance(params, dict):
                raise ValueError
        except ValueError:
            bad(PARAMS, _('参数应为 JSON 对象，例如 {"kind": "linear", "from": 60, "to": 100}'))
            params = {}
        node.fact_key = _text(params.pop("fact", ""))
        node.params = params
        if path in leaves:
            bad(LEAF, _("与第%(row)d行的评分项重复") % {"row": leaves[path]})
            continue
        if path in inner:
            bad(LEAF, _("“%(name)s”已是其他评分项的上级指标，不能同时是评分项") % {"name": path[-1]})
            continue
        siblings = roots
        for depth in range(1, len(path)):
            prefix = path[:depth]
            if prefix in leaves:
                bad(
                    LEAF,
                    _("“%(name)s”在第%(row)d行是评分项，不能再有下级") % {"name": prefix[-1], "row": leaves[prefix]},
                )
                break
            if prefix not in inner:
                inner[prefix] = Node(name=prefix[-1])
                siblings.append(inner[prefix])
            siblings = inner[prefix].children
        else:
            leaves[path] = row
            siblings.append(node)
    return roots


def import_system(user: Any, data: bytes, filename: str) -> ImportResult:
    """Check the whole file, then store the system as a draft — or nothing. A name already in use makes the new
    draft the next version of that system (its published version stays in force until the draft is published)."""
    services.require_manage(user)
    result = ImportResult()
    try:
        header_rows = _table(data, filename, HEADER_SHEET, (ITEM, VALUE))
        rows = _table(data, filename, SHEET, COLUMNS)
    except SheetError as exc:
        result.problems.append(Problem("", 0, "", str(exc)))
        return result
    system_data = _header(header_rows, result.problems)
    nodes = _leaves(rows, result.problems)
    row_problems = bool(result.problems)
    result.problems += [Problem(SHEET, 0, "", m) for m in node_problems(nodes, fact_definitions())]
    if system_data is not None and not row_problems:
        result.problems += [
            Problem(SHEET, 0, "", m)
            for m in total_problems(nodes, total_points=system_data.total_points, bonus_cap=system_data.bonus_cap)
        ]
    if result.problems or system_data is None:
        result.problems, result.more = capped_errors(result.problems)
        return result
    with transaction.atomic():
        latest = IndicatorSystem.objects.filter(name=system_data.name).order_by("-version").first()
        supersedes = None
        if latest is not None:
            if latest.status == SystemStatus.DRAFT:
                message = _("“%(name)s”已有未发布的草稿（第%(version)d版），请先发布或停用它再导入")
                result.problems.append(Problem("", 0, "", message % {"name": latest.name, "version": latest.version}))
                return result
            supersedes = latest
        try:
            result.system = services.create_system(user, system_data, nodes, supersedes=supersedes, action="import")
        except ValidationError as exc:
            result.problems += [Problem("", 0, "", m) for m in exc.messages]
            return result
    result.leaves = sum(1 for _d, n in walk(nodes) if n.is_leaf)
    return result
