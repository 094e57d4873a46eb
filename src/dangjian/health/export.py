"""A person's health record as .xlsx: one column per year. Each export is an audit event (PIPL art. 28, 55)."""

from __future__ import annotations

from dangjian.audit.services import record
from dangjian.sheets.writer import Book, Column

from .display import show
from .fields import FIELDS
from .models import Checkup, Consent


def record_workbook(user, person) -> bytes:
    checkups = list(Checkup.objects.filter(person=person).order_by("year"))
    values = [c.values() for c in checkups]
    consents = {c.year: c for c in Consent.objects.filter(person=person)}
    book = Book()
    # a year's column holds "已同意（2026-03-23）" on one line
    columns = [Column("项目", 28)] + [Column(f"{c.year}年度", 22) for c in checkups]
    sheet = book.list_sheet("健康档案", f"{person.name} 健康档案（敏感个人信息，请妥善保管）", columns)
    sheet.append(["体检日期"] + [c.checked_on for c in checkups])
    sheet.append(["知情同意"] + [_consent_text(consents.get(c.year)) for c in checkups])
    for f in FIELDS:
        sheet.append([f.label] + [show(f, v) for v in values])
    data = book.to_bytes()
    record(
        "export",
        person,
        detail={"what": "health_record", "years": [c.year for c in checkups]},
        object_repr=f"{person.name} 健康档案导出",
    )
    return data


def _consent_text(consent) -> str:
    if consent is None:
        return "未登记"
    if consent.withdrawn_on:
        return f"已撤回（{consent.withdrawn_on:%Y-%m-%d}）"
    return f"已同意（{consent.given_on:%Y-%m-%d}）"
