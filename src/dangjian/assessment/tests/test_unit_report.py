"""A unit's assessment report (.docx): A4 with the GB/T 9704 margins, the title, the total and band, a leaf that
lost points with its explanation in 失分情况, 未评 for the manual leaf, the deduction's reason; the office and the
unit's secretary download it, another branch's secretary gets 404."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from dangjian.assessment import cycles, results
from dangjian.assessment.unit_report import unit_report
from dangjian.core import context
from dangjian.testing import make_tree, make_user

from .cycle_factories import open_cycle, published_system, theme_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    t = make_tree()
    office = make_user("office_root", "office", t.root)
    sec1 = make_user("sec1", "secretary", t.branch1)
    sec2 = make_user("sec2", "secretary", t.branch2)
    with context.acting(office):
        system = published_system(office)
        theme_day(t.branch1, date(2026, 3, 10))
        cycle = open_cycle(office, system, [t.branch1, t.branch2])
        cycles.compute(cycle, office)
        leaf = cycle.system.indicators.get(name="通报批评")
        cycles.record_occurrence(
            office, cycle.pk, unit_id=t.branch1.pk, indicator_id=leaf.pk, magnitude=1, reason="会议记录不全被通报"
        )
    return t, office, sec1, sec2, cycle


def _text(content: bytes) -> tuple[Document, str, list[list[str]]]:
    document = Document(BytesIO(content))
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    body = "\n".join(p.text for p in document.paragraphs)
    return document, body, cells


def test_the_report_is_an_a4_party_document_with_the_result_and_the_lost_points(world):
    t, office, sec1, sec2, cycle = world
    document, body, cells = _text(unit_report(cycle, t.branch1))
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
        assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [28, 26]
    assert document.paragraphs[0].text == f"一支部\n{cycle.title}结果报告"  # too long for one line of 二号
    row = results.results(cycle).row_of(t.branch1.pk)
    assert f"总分{row.result.total:.2f}分" in body and f"等次为“{row.result.band}”" in body
    assert f"排名第{row.result.rank}" in body and "在2个考核对象中" in body
    # the auto leaf scored 0.50 of 6.00 for one 主题党日: in the leaf table and in 失分情况 with its explanation
    auto = next(r for r in cells if len(r) == 5 and r[1] == "按期完成率")
    assert auto[2:4] == ["6.00", "0.50"] and "第十六条" in auto[4]
    lost = [r for r in cells if len(r) == 7 and r[0].isdigit()]
    assert any("按期完成率" in r[1] and r[2] == "5.50" and "第十六条" in r[3] for r in lost)
    assert any("通报批评" in r[1] and r[2] == "1.00" and r[3] == "会议记录不全被通报" for r in lost)
    manual = next(r for r in cells if len(r) == 5 and r[1] == "理论学习")
    assert manual[3] == "未评"
    assert any(r[:2] == ["扣分项", "通报批评"] and r[3] == "会议记录不全被通报" for r in cells if len(r) == 5)
    assert body.strip().splitlines()[-2] == "中共测试所党委"  # signed by the 党委 above, then the date


def test_the_report_of_a_unit_without_occurrences_lists_none(world, tmp_path):
    t, office, sec1, sec2, cycle = world
    content = unit_report(cycle, t.branch2)
    (tmp_path / "report.docx").write_bytes(content)
    _doc, body, cells = _text(content)
    assert "二支部" in body and "四、扣分、加分和一票否决\n无。" in body
    assert not any("通报批评" in r[1] for r in cells if len(r) == 7)
    # no theme day at all: the auto leaf lost its 6 points
    assert any("按期完成率" in r[1] and r[2] == "6.00" for r in cells if len(r) == 7)


def test_the_office_and_the_units_secretary_download_it_another_secretary_gets_404(client, world):
    t, office, sec1, sec2, cycle = world
    url = reverse("assessment:cycle_unit_docx", args=[cycle.pk, t.branch1.pk])
    for user in (office, sec1):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessing")
        assert "attachment" in response["Content-Disposition"]
        assert Document(BytesIO(response.content)).paragraphs[0].text.startswith("一支部")
    page = client.get(reverse("assessment:cycle_unit", args=[cycle.pk, t.branch1.pk])).content.decode()
    assert url in page and "下载考核结果（Word）" in page
    client.force_login(sec2)
    assert client.get(url).status_code == 404
    client.force_login(office)
    assert client.get(url + "?snapshot=99").status_code == 404
    outside = reverse("assessment:cycle_unit_docx", args=[cycle.pk, t.office_branch.pk])
    assert client.get(outside).status_code == 404


def test_a_reviewed_manual_leaf_and_its_recorded_rectification_fill_the_report(world):
    from dangjian.assessment import manual_scores
    from dangjian.assessment.models import Rectification

    t, office, sec1, sec2, cycle = world
    leaf = cycle.system.indicators.get(name="理论学习")
    with context.acting(office):
        manual_scores.enter(office, cycle, t.branch1.pk, leaf, Decimal("2.5"), "学习记录缺三个月")
        Rectification.objects.create(
            organization=t.branch1,
            cycle=cycle,
            indicator=leaf,
            problem="理论学习不经常",
            owner_text="张书记",
            measure="每月第一周集中学习并留存记录",
            deadline=date(2027, 3, 31),
            created_by=office,
        )
    _doc, _body, cells = _text(unit_report(cycle, t.branch1))
    manual = next(r for r in cells if len(r) == 5 and r[1] == "理论学习")
    assert manual[3] == "2.50" and manual[4] == "审核评分：学习记录缺三个月"
    lost = next(r for r in cells if len(r) == 7 and "理论学习" in r[1])
    assert lost[2:] == ["1.50", "审核评分：学习记录缺三个月", "每月第一周集中学习并留存记录", "张书记", "2027-03-31"]
