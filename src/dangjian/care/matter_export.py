"""The yearly list of practical-matter projects as .xlsx (one row per project, milestones summarised)."""

from __future__ import annotations

import io

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Milestone, PracticalMatter

HEADERS = ("年度", "项目名称", "责任党组织", "负责人", "受益人数", "受益群体", "状态", "节点（计划/完成）", "佐证材料")


def export_matters(matters: QuerySet[PracticalMatter]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "为群众办实事"
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
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
        ws.append(
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
    for letter, width in zip("ABCDEFGHI", (8, 36, 18, 10, 10, 20, 10, 50, 40), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
