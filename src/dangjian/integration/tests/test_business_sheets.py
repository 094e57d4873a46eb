from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from dangjian.integration.business_sheets import COLUMNS, build_template, export_projects, import_projects
from dangjian.integration.models import Project
from dangjian.sheets import SheetError
from dangjian.sheets.testing import list_rows

from .business_world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def xlsx(rows, header=COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "重点任务"
    ws.append(list(header))
    for r in rows:
        ws.append(r)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def row(**over):
    values = {
        "任务编号": "SC-001",
        "任务名称": "生产任务一",
        "类别": "生产任务",
        "是否重点": "是",
        "主业": "L1",
        "环节": "实施",
        "承担部门": "D1",
        "负责人": "E001",
        "责任党组织": "T011",
        "参与党组织": "T012、T02",
        "状态": "进行中",
        "开始日期": "2026-02-01",
        "计划完成日期": "2026-11-30",
        "任务简介": "简介",
    }
    values.update(over)
    return [values[c] for c in COLUMNS]


def test_good_file_creates_and_updates(w):
    data = xlsx([row(), row(任务编号="KY-001", 任务名称="高精度装置研制（二期）", 主业="测试仪器研制", 参与党组织="")])
    report = import_projects(w.office, data, "t.xlsx")
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    assert "更新1项已有任务" in report.summary()
    new = Project.objects.get(code="SC-001")
    assert new.kind == "production" and new.stage.name == "实施" and new.leader == w.p1
    assert set(new.organizations.values_list("code", flat=True)) == {"T012", "T02"}
    w.project.refresh_from_db()
    assert w.project.name == "高精度装置研制（二期）"


def test_dry_run_writes_nothing(w):
    report = import_projects(w.office, xlsx([row()]), "t.xlsx", dry_run=True)
    assert report.ok and report.created == 1
    assert not Project.objects.filter(code="SC-001").exists()


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_written(w):
    rows = [
        row(),  # row 2: good
        row(任务编号="", 任务名称=""),  # 3
        row(任务编号="SC-002", 类别="杂项", 是否重点="也许", 状态="搁置"),  # 4
        row(任务编号="SC-003", 主业="不存在", 承担部门="DX"),  # 5
        row(任务编号="SC-004", 环节="交付"),  # 6
        row(任务编号="SC-005", 负责人="999", 责任党组织="NOPE", 参与党组织="T012、ZZZ"),  # 7
        row(任务编号="SC-006", 开始日期="明天", 计划完成日期="2026-13-01"),  # 8
        row(任务编号="SC-007", 开始日期="2026-05-01", 计划完成日期="2026-04-01"),  # 9
        row(任务编号="SC-001"),  # 10: duplicate of row 2
        row(任务编号="SC-008", 主业="", 环节="方案"),  # 11
        row(任务编号="SC-009", 开始日期=""),  # 12
    ]
    report = import_projects(w.office, xlsx(rows), "t.xlsx")
    assert not report.ok
    got = {(e.row, e.column) for e in report.errors}
    expected = {
        (3, "任务编号"),
        (3, "任务名称"),
        (4, "类别"),
        (4, "是否重点"),
        (4, "状态"),
        (5, "主业"),
        (5, "承担部门"),
        (6, "环节"),
        (7, "负责人"),
        (7, "责任党组织"),
        (7, "参与党组织"),
        (8, "开始日期"),
        (8, "计划完成日期"),
        (9, "计划完成日期"),
        (10, "任务编号"),
        (11, "环节"),
        (12, "开始日期"),
    }
    assert got == expected
    assert all(e.message for e in report.errors)
    assert "未写入任何数据" in report.summary()
    assert not Project.objects.filter(code="SC-001").exists()
    assert "第3行 [任务编号] 必填" in [str(e) for e in report.errors]


def test_code_of_a_task_outside_the_scope_or_deleted_is_refused(w):
    from dangjian.integration import business as services
    from dangjian.testing import make_user

    office_b2 = make_user("office_b2", "office", w.t.branch2)
    report = import_projects(
        office_b2, xlsx([row(任务编号="KY-001", 责任党组织="T012", 参与党组织="", 负责人="")]), "t.xlsx"
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "任务编号")]
    services.delete_project(w.office, w.project.pk, "误录")
    report = import_projects(w.office, xlsx([row(任务编号="KY-001")]), "t.xlsx")
    assert [(e.row, e.column) for e in report.errors] == [(2, "任务编号")]


def test_missing_header_is_a_file_error(w):
    with pytest.raises(SheetError, match="任务编号"):
        import_projects(w.office, xlsx([["x"]], header=["名称"]), "t.xlsx")


def test_template_is_read_back_by_the_importer(w):
    content = build_template()
    wb = load_workbook(BytesIO(content))
    ws = wb["重点任务"]
    assert [c.value for c in ws[2]] == list(COLUMNS)
    # the example row names codes this tree lacks: its errors are about those, not about the layout
    report = import_projects(w.office, content, "template.xlsx", dry_run=True)
    assert report.total_rows == 1


def test_export_is_a_printable_ledger(w):
    w.project.organizations.add(w.t.branch2)
    content = export_projects(Project.objects.all(), "重点任务台账")
    rows = list_rows(content)
    assert rows[0][:3] == ("任务编号", "任务名称", "类别")
    assert rows[1][0] == "KY-001" and rows[1][1] == "高精度装置研制" and rows[1][9] == "二支部"
    assert rows[1][11].date() == date(2026, 1, 1)
    ws = load_workbook(BytesIO(content)).active
    assert ws["A1"].value == "重点任务台账"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    widths = {ws.cell(2, i).value: ws.column_dimensions[ws.cell(2, i).column_letter].width for i in range(1, 15)}
    assert widths["主业"] >= 20 and widths["责任党组织"] >= 22  # 检测认证与技术服务, 时间频率计量室党支部 on one line
    assert ws.print_title_rows == "$2:$2"  # the header repeated on every printed page
