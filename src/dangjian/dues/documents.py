"""The dues part of an organisation's yearly record (党费收缴情况), for the ledger.

One table per year: each branch of the organisation with its members, dues owed, relief, paid, outstanding and
voluntary payments, and the members unpaid for the rule's number of months in a row (党员教育管理工作条例
art. 31; rule ``dues.arrears_months``), with a total row — the same figures as the yearly summary page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, Period
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership

from .summary import _summary_row, summary_headers, year_summary

# mm: amounts such as 132297.24 stay on one line
WIDTHS = (26, 13, 19, 16, 19, 18, 17, 15, 13)


@dataclass(frozen=True)
class DuesRecord(DocumentPart):
    section: str = "dues"
    key: str = "dues.year"
    title: Any = _("党费收缴情况")
    order: int = 50

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        """Adds a heading and the year's table to ``document`` (a python-docx Document)."""
        today = timezone.localdate()
        year = period.start.year
        paper.heading(document, f"{self.title}（{year}年）")
        if date(year, 1, 1) > today:
            paper.paragraph(document, str(_("该年度尚未开始。")))
            return
        subtree = Organization.objects.subtree(organization.path)
        members = Membership.objects.current().filter(organization__in=subtree)
        summary = year_summary(members, year, today)
        if not summary.branches:
            paper.paragraph(document, str(_("本年度无党费记录。")))
            return
        rows = [_summary_row(b.branch_name, b.totals, b.in_arrears) for b in summary.branches]
        rows.append(_summary_row(str(_("合计")), summary.total, summary.in_arrears))
        headers = summary_headers(summary.arrears_months, len(summary.months))
        paper.table(document, headers, rows, widths=WIDTHS, numeric=range(1, len(headers)))
        months = summary.months
        paper.paragraph(
            document,
            str(_("统计月份：%(first)s至%(last)s；应交人月为各月应交党费的当前在册党员人数之和。"))
            % {"first": f"{months[0].year}年{months[0].month}月", "last": f"{months[-1].year}年{months[-1].month}月"},
        )


RECORD = DuesRecord()
