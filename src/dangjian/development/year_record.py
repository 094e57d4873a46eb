"""The development part of an organisation's yearly record (发展党员工作情况), for the ledger.

One row per case of the organisation's branches that was under way in the year — opened by its end and either
still open or with a step recorded in it — with the stage, the date of application and the steps recorded in
the year (the step names of the case's own rule version, 中国共产党发展党员工作细则). Two queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, Period
from dangjian.orgs.models import Organization

from .models import CaseStatus, Development, StepRecord
from .steps import STEP_TABLES

HEADERS = (_("姓名"), _("党支部"), _("当前阶段"), _("递交入党申请书日期"), _("本年完成步骤"), _("状态"))


@dataclass(frozen=True)
class DevelopmentRecord(DocumentPart):
    section: str = "development"
    key: str = "development.year"
    title: Any = _("发展党员工作情况")
    order: int = 40

    def cases(self, organization: Organization, period: Period):
        in_year = StepRecord.objects.filter(done_on__gte=period.start, done_on__lte=period.end)
        return (
            Development.objects.filter(
                branch__in=Organization.objects.subtree(organization.path), started_on__lte=period.end
            )
            .filter(Q(status=CaseStatus.OPEN) | Exists(in_year.filter(development=OuterRef("pk"))))
            .select_related("person", "branch")
            .prefetch_related(Prefetch("steps", queryset=in_year.order_by("number"), to_attr="steps_in_year"))
            .order_by("branch__path", "person__sort_key", "person__name", "pk")
        )

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        """Adds a heading and one row per case to ``document`` (a python-docx Document)."""
        paper.heading(document, f"{self.title}（{paper.cn_date(period.start)}—{paper.cn_date(period.end)}）")
        cases = list(self.cases(organization, period))
        if not cases:
            paper.paragraph(document, str(_("本期间无发展党员工作记录。")))
            return
        rows = []
        for case in cases:
            steps_table = STEP_TABLES[case.rule_version]
            # the heading names the year: a step's day is enough (第7步 确定发展对象（2月12日）)
            steps = "；".join(
                f"第{s.number}步 {steps_table.by_number(s.number).name}（{s.done_on.month}月{s.done_on.day}日）"
                for s in case.steps_in_year
            )
            rows.append(
                (
                    case.person.name,
                    case.branch.name,
                    case.get_stage_display(),
                    f"{case.started_on:%Y-%m-%d}",
                    steps or "—",
                    case.get_status_display(),
                )
            )
        # mm: the steps of a year take the room; a case's row may break across pages rather than leave one blank
        paper.table(document, HEADERS, rows, widths=(15, 24, 17, 20, 66, 14), numeric=(3,), split=True)
        paper.paragraph(document, str(_("共%(n)d人。")) % {"n": len(cases)})


RECORD = DevelopmentRecord()
