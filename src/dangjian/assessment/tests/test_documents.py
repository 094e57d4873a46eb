"""The 考核结果 section of the ledger: the year's published results (total, band, ranks, as the result page says) and
the rectification items, rendered into a .docx and read back; their gaps and queries."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from dangjian.assessment import cycles, rectifications, results
from dangjian.assessment.documents import RECTIFICATIONS, RESULT
from dangjian.assessment.rectifications import RectificationData
from dangjian.core import context, paper
from dangjian.core.contributions import Period, contributions
from dangjian.testing import make_tree, make_user

from .cycle_factories import open_cycle, published, published_system, theme_day

pytestmark = pytest.mark.django_db
YEAR = Period.year(2026)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


@pytest.fixture
def world():
    t = make_tree()
    office = make_user("office_root", "office", t.root)
    with context.acting(office):
        system = published_system(office)
        theme_day(t.branch1, date(2026, 3, 10))
        cycle = open_cycle(office, system, [t.branch1, t.branch2])
        cycles.compute(cycle, office)
        yield t, office, cycle


def _render(part, org, period=YEAR) -> Document:
    document = paper.new_document()
    part.render(org, period, document)
    return Document(BytesIO(paper.to_bytes(document)))


def _rows(document) -> list[list[str]]:
    (table,) = document.tables
    return [[c.text for c in row.cells] for row in table.rows]


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_a_published_result_with_total_band_and_ranks_as_the_result_page(world):
    t, office, cycle = world
    assert f"{cycle.title}结果尚未公布（当前状态：已开启）。" in _texts(_render(RESULT, t.branch1))
    (gap,) = RESULT.gaps(t.general, YEAR)
    assert gap.text == f"{cycle.title}结果尚未公布（当前状态：已开启）" and gap.section == "assessment"
    assert gap.link == f"/assessment/cycles/{cycle.pk}/"

    published(cycle)
    back = _render(RESULT, t.branch1)

    assert _texts(back)[0] == "党建工作责任制考核结果"
    rows = _rows(back)
    assert rows[0] == ["考核周期", "考核对象", "总分", "等次", "总排名", "同类排名", "较上年"]
    r = results.results(cycle).row_of(t.branch1.pk).result
    assert rows[1] == [cycle.title, "一支部", f"{r.total:.2f}", r.band, f"{r.rank}/2", f"{r.rank_in_kind}/2", "—"]
    assert any("2个考核对象，考核结果于" in text for text in _texts(back))
    assert [row[1] for row in _rows(_render(RESULT, t.general))[1:]] == ["一支部", "二支部"]
    assert RESULT.gaps(t.general, YEAR) == []
    assert "本年度无考核结果记录。" in _texts(_render(RESULT, t.office_branch))
    assert "本年度无考核结果记录。" in _texts(_render(RESULT, t.branch1, Period.year(2025)))


def test_the_rectification_items_with_their_state_and_the_late_ones_as_gaps(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    t, office, cycle = world
    late = rectifications.create(
        office,
        t.branch1.pk,
        RectificationData(
            problem="主题党日开展不经常",
            measure="每月固定第一周开展",
            deadline=date(2026, 6, 30),
            owner_text="支部书记",
        ),
    )
    done = rectifications.create(
        office,
        t.branch1.pk,
        RectificationData(
            problem="会议记录不全", measure="专人记录并归档", deadline=date(2026, 9, 30), source="年度考核"
        ),
    )
    rectifications.complete(office, done.pk, note="已补齐记录", upload=SimpleUploadedFile("补齐的记录.pdf", PDF))
    rectifications.accept(office, done.pk, note="验收通过")
    wrong = rectifications.create(
        office, t.branch1.pk, RectificationData(problem="误录事项", measure="", deadline=date(2026, 5, 1))
    )
    rectifications.withdraw(office, wrong.pk, reason="录入错误")

    back = _render(RECTIFICATIONS, t.general)

    assert _texts(back)[0] == "问题整改清单（问题清单、责任清单、整改清单）"
    assert "本年度整改事项2项：已验收1项，待验收0项，整改中1项。" in _texts(back)
    rows = {r[3]: r for r in _rows(back)[1:]}
    assert set(rows) == {"主题党日开展不经常", "会议记录不全"}  # not the withdrawn one
    assert rows["主题党日开展不经常"][4:8] == ["每月固定第一周开展", "支部书记", "2026-06-30", "整改中"]
    assert rows["会议记录不全"][2] == "年度考核" and rows["会议记录不全"][7] == "已验收"
    assert rows["会议记录不全"][8] != "—" and rows["会议记录不全"][9] != "—"

    (gap,) = RECTIFICATIONS.gaps(t.general, YEAR)
    assert gap.text == "一支部整改事项「主题党日开展不经常」已超过整改时限2026-06-30，尚未完成"
    assert gap.link == f"/assessment/rectifications/{late.pk}/" and gap.due == date(2026, 6, 30)
    assert RECTIFICATIONS.gaps(t.branch2, YEAR) == []
    assert RECTIFICATIONS.gaps(t.general, Period.year(2025)) == []
    assert "本年度无整改事项记录。" in _texts(_render(RECTIFICATIONS, t.branch2))

    (evidence,) = RECTIFICATIONS.attachments(t.general, YEAR)
    assert evidence.name == f"整改清单/{done.pk}-补齐的记录.pdf" and evidence.section == "assessment"
    assert evidence.label == "整改事项「会议记录不全」佐证材料" and evidence.size == len(PDF)
    with evidence.open() as f:
        assert f.read() == PDF
    assert RECTIFICATIONS.attachments(t.branch2, YEAR) == []


def test_queries_do_not_grow_with_units_or_items(world, django_assert_max_num_queries):
    t, office, cycle = world
    published(cycle)
    counts = []
    for org in (t.branch1, t.root):  # one unit, then two
        results.forget()
        with django_assert_max_num_queries(30) as captured:
            RESULT.render(org, YEAR, paper.new_document())
        counts.append(len(captured))
    assert counts[1] <= counts[0]
    with django_assert_max_num_queries(1):
        RESULT.gaps(t.root, YEAR)
    for n in range(4):
        data = RectificationData(problem=f"问题{n}", measure="措施", deadline=date(2026, 3, 1 + n))
        rectifications.create(office, (t.branch1 if n % 2 else t.branch2).pk, data)
    with django_assert_max_num_queries(1):
        RECTIFICATIONS.render(t.root, YEAR, paper.new_document())
    with django_assert_max_num_queries(1):
        RECTIFICATIONS.gaps(t.root, YEAR)


def test_the_parts_are_registered_with_the_wide_list_landscape():
    (assessment,) = [c for c in contributions() if c.app == "assessment"]
    assert assessment.documents == (RESULT, RECTIFICATIONS)
    assert [(p.section, p.order, p.landscape) for p in assessment.documents] == [
        ("assessment", 10, False),
        ("assessment", 20, True),
    ]
