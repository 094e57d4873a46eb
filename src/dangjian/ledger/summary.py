"""The 年度工作总结 part of the ledger: the text the secretary writes (``YearSummary``), with the year's figures
filled in from the registered facts (``core.contributions.fact_providers``), so that the summary and the assessment
read the same numbers.

The secretary writes placeholders in braces — ``{党员人数}``, ``{党课次数}`` — and the ledger prints the figure of the
organisation's subtree for the year in their place; the figures also print as a short table under the text. A
placeholder the ledger does not know is printed as written, so a typo shows on the page rather than vanishing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _t

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, LedgerGap, Period, fact_providers

from .models import YearSummary

# placeholder → (fact key, unit printed after the figure)
FIGURES: dict[str, tuple[str, str]] = {
    "党员人数": ("people.members", "名"),
    "党员大会次数": ("meetings.members_meeting.held", "次"),
    "支委会次数": ("meetings.committee_meeting.held", "次"),
    "党小组会次数": ("meetings.group_meeting.held", "次"),
    "党课次数": ("meetings.lecture.held", "次"),
    "主题党日次数": ("meetings.theme_day.held", "次"),
    "组织生活出席率": ("meetings.attendance_rate", "%"),
    "谈心谈话覆盖率": ("talks.coverage", "%"),
    "发展党员在培养人数": ("development.cases", "名"),
    "党费交纳率": ("dues.paid_rate", "%"),
}
PLACEHOLDER = re.compile(r"\{([^{}\s]{1,20})\}")


def _format(value, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float | Decimal) and value != int(value):
        number = f"{Decimal(str(value)).quantize(Decimal('0.1'))}"
    else:
        number = str(int(value))
    return f"{number}{unit}"


def figures(organization, period: Period) -> dict[str, str]:
    """Each placeholder's figure for the organisation's subtree and the period, formatted with its unit ("—" when a
    fact has no value, e.g. a rate over nobody). Only the providers of the facts named above compute."""
    wanted = {key: name for name, (key, _unit) in FIGURES.items()}
    values: dict[str, Any] = {}
    for _app, provider in fact_providers():
        if not any(d.key in wanted for d in provider.definitions):
            continue
        for value in provider.compute([organization], period):
            if value.key in wanted and value.organization_id == organization.pk:
                values[value.key] = value.value
    return {name: _format(values.get(key), unit) for name, (key, unit) in FIGURES.items()}


def fill(text: str, values: Mapping[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def summary_of(organization, year: int) -> YearSummary | None:
    return YearSummary.objects.filter(organization=organization, year=year).first()


@dataclass(frozen=True)
class SummaryPart(DocumentPart):
    key: str = "ledger.summary"
    section: str = "summary"
    title: Any = ""
    order: int = 10

    def render(self, organization, period: Period, document: Any) -> None:
        summary = summary_of(organization, period.start.year)
        if summary is None or not summary.text.strip():
            return
        values = figures(organization, period)
        for line in fill(summary.text, values).splitlines():
            if line.strip():
                paper.paragraph(document, line.strip())
        paper.subheading(document, _t("本年度主要数据"))
        paper.particulars(document, list(values.items()))

    def gaps(self, organization, period: Period):
        summary = summary_of(organization, period.start.year)
        if summary is None or not summary.text.strip():
            link = reverse("ledger:summary", args=[organization.pk]) + f"?year={period.start.year}"
            yield LedgerGap("summary", _t("尚未撰写年度工作总结"), link)


SUMMARY = SummaryPart()
