"""The report in the layout of its forms (.xlsx, one sheet a table, printable A4) and the per-branch summary,
through ``dangjian.sheets``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dangjian.orgs.models import Organization
from dangjian.sheets.writer import INTEGER, Book, Column

from .compute import PartyStatistics
from .flows import DECREASES, INCREASES
from .summary import Summary


def report_xlsx(org: Organization, stats: PartyStatistics) -> bytes:
    book = Book()
    year = stats.period.year
    for table in stats.tables:
        columns = [Column(_("项目"), 40)] + [Column(str(c.label), 14, INTEGER) for c in table.columns]
        # the title fits the printed width; the unit and the date go under the table, as the forms' 填报单位
        sheet = book.list_sheet(f"{table.code} {table.title}"[:31], f"{table.code} {table.title}", columns)
        for row, cells in table.rows:
            label = f"{row.group}：{row.label}" if row.group else str(row.label)
            sheet.append([label, *[cells.get(c.key) for c in table.columns]])
        sheet.note(_("填报单位：%(org)s；统计时点：%(year)s年12月31日") % {"org": org.name, "year": year})
        if table.note:
            sheet.note(table.note)
        if table.code == "T1":
            b = stats.balance
            sheet.note(
                _("上年底%(last)s人 + 本年增加%(inc)s人 − 本年减少%(dec)s人 = 本年底%(this)s人：%(verdict)s")
                % {
                    "last": b.last_year,
                    "inc": b.increase_total,
                    "dec": b.decrease_total,
                    "this": b.this_year,
                    "verdict": _("平衡") if b.balanced else _("不平衡"),
                }
            )
    if stats.balance.imbalances:
        sheet = book.list_sheet(
            _("不平衡名单"), _("两年对比不平衡的人员"), [Column(_("姓名"), 12), Column(_("原因"), 80)]
        )
        for item in stats.balance.imbalances:
            sheet.append([item.name, "；".join(item.reasons)])
    return book.to_bytes()


def branches_xlsx(org: Organization, year: int, summary: Summary) -> bytes:
    book = Book()
    columns = [
        Column(_("党组织"), 30),
        Column(_("上年底党员数"), 10, INTEGER),
        *[Column(str(label), 8, INTEGER) for label in INCREASES.values()],
        *[Column(str(label), 8, INTEGER) for label in DECREASES.values()],
        Column(_("本年底党员数"), 10, INTEGER),
        Column(_("不平衡人数"), 8, INTEGER),
    ]
    title = _("党内统计分支部汇总（%(org)s，%(year)s年）") % {"org": org.name, "year": year}
    sheet = book.list_sheet(_("分支部汇总"), title, columns)
    for o, line in summary.lines:
        changes = [*line.increases.values(), *line.decreases.values()]
        sheet.append([o.name, line.last_year, *changes, line.this_year, line.imbalanced])
    t = summary.total
    sheet.append(
        [
            _("合计（%(org)s）") % {"org": org.name},
            t.last_year,
            *t.increases.values(),
            *t.decreases.values(),
            t.this_year,
            len(t.imbalances),
        ],
        numbered=False,
    )
    sheet.note(_("支部之间的调整在各支部分别计为转出和转入，在合计中相互抵消。"))
    return book.to_bytes()
