"""The 述职评议's documents: the paper 测评表 (.docx, party-document layout, core.paper) and the results (.xlsx,
sheets). The 测评表 is one form per rater group, so each form says which group's ballot it is and the tallies are
entered per group (``report_services.record_tallies``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dangjian.core import paper
from dangjian.sheets.writer import AMOUNT, INTEGER, PERCENT, Book, Column

from . import report_scale
from .models import RaterGroup, ReportGrade, ReportMeeting
from .report_services import ResultRow

BOX = "□"


def ballot_form(meeting: ReportMeeting, reports) -> bytes:
    """One page per rater group: the secretaries, each with a box for 好 / 较好 / 一般 / 差 to tick."""
    document = paper.new_document(numbered=False)
    scale = report_scale.of_meeting(meeting)  # a draft's form shows the weights in force
    groups = [g for g in RaterGroup if scale.weight(g.value) > 0]
    for i, group in enumerate(groups):
        if i:
            document.add_page_break()
        paper.title(document, _("%(title)s测评表") % {"title": meeting.title})
        paper.paragraph(
            document,
            _("测评组：%(group)s（权重 %(weight)s%%）。本表不记名，请在每位述职书记相应的评价栏内划“√”，每人只选一项。")
            % {"group": group.label, "weight": scale.weight(group.value)},
        )
        headers = [_("序号"), _("述职书记"), _("所在党组织"), *[str(g.label) for g in ReportGrade]]
        rows = [[n, r.person.name, r.organization.name, BOX, BOX, BOX, BOX] for n, r in enumerate(reports, 1)]
        paper.table(document, headers, rows, widths=(12, 28, 52, 16, 16, 16, 16), numeric=(0, 3, 4, 5, 6))
        paper.right(
            document,
            _("%(org)s　%(date)s") % {"org": meeting.organization.name, "date": paper.cn_date(meeting.held_on)},
        )
    return paper.to_bytes(document)


def results_book(meeting: ReportMeeting, rows: list[ResultRow]) -> bytes:
    book = Book()
    columns = [Column(_("述职书记"), 12), Column(_("所在党组织"), 24)]
    for grade in ReportGrade:
        columns.append(Column(_("%(grade)s率（加权%%）") % {"grade": grade.label}, 10, PERCENT))
    columns += [Column(_("得分"), 8, AMOUNT), Column(_("评议等次"), 8), Column(_("票数"), 6, INTEGER)]
    for group in RaterGroup:
        columns.append(Column(_("%(group)s 好/较好/一般/差") % {"group": group.label}, 14))
    columns += [Column(_("党委书记点评"), 40), Column(_("存在问题（纳入三张清单）"), 40)]
    sheet = book.list_sheet(_("测评结果"), _("%(title)s测评结果") % {"title": meeting.title}, columns)
    grades = dict(ReportGrade.choices)
    for row in rows:
        r = row.result
        values = [row.report.person.name, row.report.organization.name]
        values += [float(r.shares[g]) if r.score is not None else None for g in ReportGrade.values]
        values += [float(r.score) if r.score is not None else None, str(grades.get(r.grade, "")), r.votes]
        values += ["/".join(str(row.counts[g][grade]) for grade in ReportGrade.values) for g in RaterGroup.values]
        values += [row.report.remarks, row.report.problems]
        sheet.append(values)
    scale = report_scale.of_meeting(meeting)
    weights = "；".join(f"{g.label} {scale.weight(g.value)}%" for g in RaterGroup)
    sheet.note(
        _("权重（本单位设置）：%(weights)s。%(scale)s按加权比例计算；无人投票的测评组不计，其余组权重按比例放大。")
        % {"weights": weights, "scale": report_scale.explain(scale)}
    )
    return book.to_bytes()
