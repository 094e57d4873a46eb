"""The .xlsx export of development cases: one row per case with its current stage, next step and deadline.

The status comes from ``bulk_status`` (five queries whatever the number of cases) and is the same the case
page shows: overdue, blocked (with the reason and article) or due.
"""

from __future__ import annotations

from django.db.models import QuerySet

from dangjian.sheets.writer import DATE, INTEGER, Book, Column

from .bulk import bulk_status
from .models import Development, DevelopmentStage
from .steps import STEP_TABLES

COLUMNS = (
    Column("姓名", 12),
    Column("性别", 6),
    Column("党支部", 24),
    Column("当前阶段", 12),
    Column("递交入党申请书日期", 14, DATE),
    Column("下一步骤", 8, INTEGER),
    Column("下一步骤名称", 22),
    Column("最近期限", 12, DATE),
    Column("期限所属步骤", 22),
    Column("状态", 8),
    Column("说明", 60),
)
HEADERS = tuple(c.header for c in COLUMNS)
SEX = {"M": "男", "F": "女"}
STAGE_LABEL = dict(DevelopmentStage.choices)


def export_cases(cases: QuerySet[Development], today) -> bytes:
    """``cases`` (already limited to the user's scope and filters) as an .xlsx workbook."""
    states = bulk_status(cases, today)
    book = Book()
    sheet = book.list_sheet("发展党员", f"发展党员工作台账（{today:%Y-%m-%d}）", COLUMNS)
    qs = cases.order_by("branch__path", "person__sort_key", "person__name", "id") if not cases.ordered else cases
    rows = qs.values_list("pk", "person__name", "person__sex", "branch__name", "rule_version", "started_on")
    for pk, name, sex, branch, version, started in rows.iterator(chunk_size=2000):
        state = states.get(pk)
        if state is None:  # created after the status was read
            continue
        summary = state.summary
        step = summary.next.step if summary.next else None
        due_step = summary.due_item.step if summary.due_item else None
        sheet.append(
            [
                name,
                SEX.get(sex, ""),
                branch,
                str(STAGE_LABEL.get(state.stage, state.stage)),
                started,
                step.number if step else None,
                step.name if step else "",
                summary.deadline,
                f"第{due_step.number}步 {STEP_TABLES[version].by_number(due_step.number).name}" if due_step else "",
                summary.label,
                summary.reason,
            ]
        )
    return book.to_bytes()
