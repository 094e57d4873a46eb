"""The yearly list of practical-matter projects as .xlsx (one row per project, milestones summarised)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from dangjian.sheets.writer import INTEGER, Book, Column

from .models import Milestone, PracticalMatter

COLUMNS = (
    Column("年度", 8, INTEGER),
    Column("项目名称", 36),
    Column("责任党组织", 18),
    Column("负责人", 10),
    Column("受益人数", 10, INTEGER),
    Column("受益群体", 20),
    Column("状态", 10),
    Column("节点（计划/完成）", 50),
    Column("佐证材料", 40),
)
HEADERS = tuple(c.header for c in COLUMNS)


def export_matters(matters: QuerySet[PracticalMatter], title: str = "我为群众办实事项目清单") -> bytes:
    book = Book()
    sheet = book.list_sheet("为群众办实事", title, COLUMNS)
    qs = matters.select_related("organization", "owner").prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on", "id")), "evidence"
    )
    for m in qs:
        steps = "；".join(
            f"{s.title} {s.planned_on:%Y-%m-%d}/{s.done_on:%Y-%m-%d}"
            if s.done_on
            else f"{s.title} {s.planned_on:%Y-%m-%d}/未完成"
            for s in m.milestones.all()
        )
        evidence = "；".join([m.evidence_reference] * bool(m.evidence_reference) + [e.name for e in m.evidence.all()])
        sheet.append(
            [
                m.year,
                m.title,
                m.organization.name,
                m.owner.name,
                m.beneficiary_count,
                m.beneficiary_groups,
                m.get_status_display(),
                steps,
                evidence,
            ]
        )
    return book.to_bytes()
