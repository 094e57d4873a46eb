"""The plan document, the year-end summary (.docx, re-opened and read) and the deployments ledger (.xlsx)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor
from openpyxl import load_workbook

from dangjian.core import context
from dangjian.workplan import documents, services
from dangjian.workplan.models import Deployment

from .factories import make_plan, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def text_of(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def _more(w):
    with context.acting(w.office):
        item = services.save_item(w.office, w.plan.pk, {"category": "组织建设", "title": "规范三会一课"})
        dep = services.deploy(
            w.office,
            item.pk,
            {"organization": w.t.branch2, "responsible": w.c, "measure": "按月检查", "deadline": date(w.year, 3, 31)},
        )
        services.save_item(w.office, w.plan.pk, {"category": "组织建设", "title": "未部署事项"})
    return dep


def test_the_plan_document_lists_items_by_category_with_the_four_points(w):
    _more(w)
    w.plan.refresh_from_db()
    text = text_of(documents.plan_docx(w.plan))
    assert f"所党发〔{w.year}〕1号" in text and w.plan.title in text
    assert "一、融合发展" in text and "二、组织建设" in text
    assert "（一）党建引领科研攻关" in text and "（二）未部署事项" in text
    assert "服务主业和重点任务：计量校准服务、高精度校准装置研制。" in text
    assert "一支部 | 甲一 | 组建党员突击队 | 12月31日" in text  # the 四落实 as a table, the year in the title
    assert "中共测试所党委" in text
    doc = Document(io.BytesIO(documents.plan_docx(w.plan)))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [c.text for c in doc.tables[0].rows[0].cells] == ["责任单位", "责任人", "工作措施", "完成时限"]
    assert doc.tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page


def test_the_issued_plan_has_the_red_letterhead_above_its_title(w):
    """GB/T 9704 §7.2: the issuer's mark in red, the 文号 under it above a red line, then the title."""
    doc = Document(io.BytesIO(documents.plan_docx(w.plan)))
    first, number, title = doc.paragraphs[:3]
    assert first.text == "中共测试所党委文件"
    assert all(r.font.color.rgb == RGBColor(0xFF, 0, 0) for r in first.runs)
    assert number.text == f"所党发〔{w.year}〕1号"
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000"
    assert title.text == w.plan.title


def test_a_measure_ending_in_a_full_stop_is_not_stopped_twice(w):
    with context.acting(w.office):
        item = services.save_item(w.office, w.plan.pk, {"category": "组织建设", "title": "规范三会一课"})
        services.deploy(
            w.office,
            item.pk,
            {
                "organization": w.t.branch2,
                "responsible": w.c,
                "measure": "支部书记牵头，制定落实方案。",
                "deadline": date(w.year, 1, 31),
            },
        )
    text = text_of(documents.plan_docx(w.plan))
    assert "二支部 | 丙二 | 支部书记牵头，制定落实方案 | 1月31日" in text
    assert "。；" not in text


def test_a_plan_without_items_is_still_a_document(w):
    with context.acting(w.office):
        plan = make_plan(w.office, w.t.root, w.year + 1)
    text = text_of(documents.plan_docx(plan))
    assert "本计划尚未列入工作事项。" in text and "中共测试所党委" in text
    assert "文件" not in text  # no 文号, no letterhead
    summary = text_of(documents.summary_docx(plan))
    assert "共列工作事项0项，部署0项（次）" in summary and "本计划没有工作事项。" in summary
    ws = load_workbook(io.BytesIO(documents.deployments_xlsx(plan, Deployment.objects.none()))).active
    assert [r for r in ws.iter_rows(min_row=3, values_only=True)] == []


def test_the_year_end_summary_reads_the_figures_from_the_records(w):
    dep = _more(w)
    services.report_progress(w.sec1, w.dep.pk, {"percent": 60, "content": "突击队攻克难题两项"})
    services.mark_done(w.sec2, dep.pk, date(w.year, 3, 20))
    services.update_plan(
        w.office, w.plan.pk, {"title": w.plan.title, "summary": "全年围绕中心抓党建。\n融合成效明显。"}
    )
    w.plan.refresh_from_db()
    text = text_of(documents.summary_docx(w.plan))
    assert f"测试所党委{w.year}年党建工作总结" in text
    assert "共列工作事项3项，部署2项（次）" in text
    assert "已完成1项，完成率50.0%；按时完成1项，按时完成率50.0%" in text
    assert "全年围绕中心抓党建。" in text and "融合成效明显。" in text
    # each item under its own heading, its deployments in a table without the item repeated on every row
    assert "（一）党建引领科研攻关" in text and "一支部 | 甲一 | 12月31日 | 推进中 | 60%：突击队攻克难题两项" in text
    assert f"已于{w.year}年3月20日完成" in text
    assert "（三）未部署事项\n未部署。" in text


def test_the_ledger_and_the_downloads(client, w):
    _more(w)
    client.force_login(w.office)
    response = client.get(reverse("workplan:plan_xlsx", args=[w.plan.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert w.plan.title in rows[0][0]
    assert rows[1][:4] == ("序号", "类别", "工作事项", "责任单位")
    assert {r[3] for r in rows[2:]} == {"一支部", "二支部"}
    assert ws.page_setup.paperSize in (9, "9")
    for name in ("plan_docx", "plan_summary_docx"):
        response = client.get(reverse(f"workplan:{name}", args=[w.plan.pk]))
        assert response.status_code == 200 and response.content[:2] == b"PK"
    # a secretary's ledger of their own branch plan holds only the branch's deployments
    plan = services.derive_plan(w.sec1, w.t.branch1, w.year)
    client.force_login(w.sec1)
    assert client.get(reverse("workplan:plan_xlsx", args=[w.plan.pk])).status_code == 404
    ws = load_workbook(io.BytesIO(client.get(reverse("workplan:plan_xlsx", args=[plan.pk])).content)).active
    assert len(list(ws.iter_rows(values_only=True))) == 2  # title and header: nothing deployed yet
    assert Deployment.objects.count() == 2
