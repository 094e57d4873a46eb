"""The list of submissions as a printable ledger (.xlsx through ``dangjian.sheets``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.sheets.writer import DATE, Book, Column

from .models import Submission


def export(rows: Iterable[Submission], title: str) -> bytes:
    book = Book()
    sheet = book.list_sheet(
        _("请示报告"),
        title,
        [
            Column(_("文号"), 26),
            Column(_("文种"), 6),
            Column(_("类别"), 14),
            Column(_("标题"), 40),
            Column(_("报送组织"), 22),
            Column(_("主送组织"), 18),
            Column(_("报送日期"), 12, DATE),
            Column(_("答复期限"), 12, DATE),
            Column(_("状态"), 14),
            Column(_("答复日期"), 12, DATE),
            Column(_("答复意见"), 36),
        ],
    )
    for s in rows:
        sheet.append(
            [
                s.document_number,
                s.get_kind_display(),
                s.get_category_display(),
                s.title,
                s.organization.name,
                s.addressee.name,
                timezone.localtime(s.sent_at).date() if s.sent_at else None,
                s.deadline,
                s.get_status_display(),
                timezone.localtime(s.answered_at).date() if s.answered_at else None,
                s.answer_text,
            ]
        )
    return book.to_bytes()
