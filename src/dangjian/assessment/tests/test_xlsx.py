"""Import and export of a system as .xlsx: an export imports back as it is; every bad cell is reported at once and
nothing is written unless the whole file is valid."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from dangjian.assessment import services, xlsx
from dangjian.assessment.models import IndicatorSystem
from dangjian.assessment.tree import from_rows
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.sheets.testing import list_rows
from dangjian.testing import make_tree, make_user

from .factories import small_data, small_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    t = make_tree()
    user = make_user("office_root", "office", t.root)
    with context.acting(user):
        yield user


def _edited(content: bytes, sheet: str, edits: dict[str, object]) -> bytes:
    wb = load_workbook(BytesIO(content))
    for ref, value in edits.items():
        wb[sheet][ref] = value
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_export_lists_every_leaf_with_its_path_and_reopens_in_openpyxl(office):
    system = services.create_system(office, small_data(), small_tree())
    content = xlsx.export_system(office, system)
    rows = list_rows(content, "指标")
    assert rows[0] == xlsx.COLUMNS
    assert rows[1][:7] == (
        "组织生活",
        "三会一课",
        "按期完成率",
        6,
        None,
        "自动计分",
        '{"kind": "linear", "from": 60, "to": 100, "fact": "compliance.rate"}',
    )
    assert rows[1][7:] == ("组织", None, "中国共产党支部工作条例（试行）")
    assert [r[2] for r in rows[1:]] == ["按期完成率", "理论学习", "上级表彰", "严重违纪"]
    assert [r[1] for r in rows[1:]] == ["三会一课", None, None, None]
    info = {r[0]: r[1] for r in load_workbook(BytesIO(content))["体系"].iter_rows(min_row=3, values_only=True)}
    assert info["名称"] == "测试体系" and info["适用对象"] == "党支部" and info["等次"].startswith('[[90, "好"]')
    assert AuditEvent.objects.filter(action="export", object_id=str(system.pk)).count() == 1


def test_an_export_imports_back_as_the_next_version_with_the_same_tree(office):
    v1 = services.publish(office, services.create_system(office, small_data(), small_tree()).pk)
    result = xlsx.import_system(office, xlsx.export_system(office, v1), "体系.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    v2 = result.system
    assert (v2.version, v2.supersedes_id, v2.status, v2.bands, v2.quotas) == (2, v1.pk, "draft", v1.bands, v1.quotas)
    assert from_rows(v2.indicators.all()) == from_rows(v1.indicators.all())
    assert result.leaves == 4
    assert AuditEvent.objects.filter(action="import", object_id=str(v2.pk)).exists()


def test_a_new_name_imports_as_version_one(office):
    system = services.create_system(office, small_data(), small_tree())
    content = _edited(xlsx.export_system(office, system), "体系", {"B3": "另一体系"})
    result = xlsx.import_system(office, content, "x.xlsx")
    assert result.ok and result.system.version == 1 and result.system.name == "另一体系"


def test_every_bad_cell_is_reported_with_sheet_row_and_column_and_nothing_is_written(office):
    system = services.create_system(office, small_data(), small_tree())
    content = xlsx.export_system(office, system)
    content = _edited(content, "指标", {"E3": "六分", "G4": "打分", "H5": "{not json"})
    content = _edited(content, "体系", {"B4": "支委会", "B5": "明年"})
    content = _edited(content, "指标", {"H6": '{"kind": "ratio", "fact": "no.such"}', "G6": "自动计分", "E6": 1})
    before = IndicatorSystem.objects.count()
    result = xlsx.import_system(office, content, "x.xlsx")
    messages = [str(p) for p in result.problems]
    assert "指标表第3行 [分值] 分值应为数值" in messages
    assert "指标表第4行 [方法] 方法应为 自动计分 / 人工评分 / 扣分项 / 加分项 / 一票否决 之一" in messages
    assert any(m.startswith("指标表第5行 [参数] 参数应为 JSON 对象") for m in messages)
    assert "体系表第4行 [适用对象] “支委会”格式不正确" in messages
    assert "体系表第5行 [起始年度] “明年”格式不正确" in messages
    assert "指标表第6行：事实“no.such”未登记（见“事实与指标”页面）" in messages
    assert len(messages) == 6, messages
    assert IndicatorSystem.objects.count() == before


def test_a_wrong_total_and_a_leaf_that_is_also_a_parent_are_reported(office):
    system = services.create_system(office, small_data(), small_tree())
    content = xlsx.export_system(office, system)
    result = xlsx.import_system(office, _edited(content, "体系", {"B7": 12}), "x.xlsx")
    assert [str(p) for p in result.problems] == ["计入总分的评分项分值合计 10.00 分，与总分 12.00 分不一致"]
    # row 4 becomes a leaf at 组织生活 / 三会一课, which row 3 uses as a parent
    content = _edited(content, "指标", {"B4": "组织生活", "C4": None, "D4": "三会一课"})
    result = xlsx.import_system(office, content, "x.xlsx")
    assert [str(p) for p in result.problems] == [
        "指标表第4行 [评分项] “三会一课”已是其他评分项的上级指标，不能同时是评分项"
    ]
    # and the other way round: a row below a leaf
    content = _edited(content, "指标", {"B4": "组织生活", "C4": "三会一课／按期完成率", "D4": "细项"})
    result = xlsx.import_system(office, content, "x.xlsx")
    assert [str(p) for p in result.problems] == ["指标表第4行 [评分项] “按期完成率”在第3行是评分项，不能再有下级"]


def test_a_draft_of_the_same_name_blocks_the_import(office):
    system = services.create_system(office, small_data(), small_tree())
    result = xlsx.import_system(office, xlsx.export_system(office, system), "x.xlsx")
    assert [str(p) for p in result.problems] == ["“测试体系”已有未发布的草稿（第1版），请先发布或停用它再导入"]


def test_a_file_without_the_sheets_is_refused_with_a_message(office):
    result = xlsx.import_system(office, b"not a spreadsheet", "x.xlsx")
    assert not result.ok and result.problems[0].message


def test_the_template_imports_nothing_but_names_what_is_missing(office):
    result = xlsx.import_system(office, xlsx.build(None), "template.xlsx")
    assert not result.ok
    assert "体系表第3行 [名称] 请填写“名称”" in [str(p) for p in result.problems]
