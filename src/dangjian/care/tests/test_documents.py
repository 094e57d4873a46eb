"""The 关心关怀 section of the ledger (五必问谈访, 困难帮扶, 办实事): rendered into a .docx, re-opened, read back
against the care pages; their gaps and queries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.care import hardship, matter_services, services
from dangjian.care.documents import HARDSHIP, MATTERS, OBLIGATIONS
from dangjian.care.filters import coverage
from dangjian.care.models import PracticalMatter
from dangjian.core import paper
from dangjian.core.contributions import Period, contributions
from dangjian.testing import make_member

pytestmark = pytest.mark.django_db

# What must never reach the paper: event descriptions, hardship reasons, what was done at a visit, support notes.
SECRETS = ("胃癌手术", "父亲病逝", "配偶重病", "诊断书复印件", "住院押金")


PARTS = (OBLIGATIONS, HARDSHIP, MATTERS)


def _render(org, year: int, parts=PARTS) -> docx.Document:
    document = paper.new_document()
    for part in parts:
        part.render(org, Period.year(year), document)
    return docx.Document(BytesIO(paper.to_bytes(document)))


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += ["｜".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
    return "\n".join(parts)


def _rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _year_of_care(w, year: int) -> None:
    """Last year's care in 一总支: three events (one obligation in time, one late, one never done), a hardship
    entry with support in the year and after it, a practical matter with a milestone done."""
    illness = services.record_event(w.sec1, w.jia.pk, "illness", date(year, 3, 1), "胃癌手术")
    (visit,) = illness.obligations.all()
    services.close_obligation(w.sec1, visit.pk, {"done_on": visit.due_on, "what_done": "带去诊断书复印件"})
    loss = services.record_event(w.sec1, w.yi.pk, "bereavement", date(year, 5, 10), "父亲病逝")
    (visit,) = loss.obligations.all()
    services.close_obligation(w.sec1, visit.pk, {"done_on": visit.due_on + timedelta(days=2), "what_done": "吊唁"})
    services.record_event(w.sec2, w.bing.pk, "post_change", date(year, 6, 1))
    entry = hardship.register(w.sec1, w.jia.pk, date(year, 2, 1), "配偶重病")
    for day in (date(year, 2, 10), date(year + 1, 1, 1)):
        support = {"given_on": day, "kind": "cash", "amount": Decimal("500"), "given_by": "所工会", "note": "住院押金"}
        hardship.add_support(w.sec1, entry.pk, support)
    matter = matter_services.save_matter(
        w.sec1,
        None,
        {
            "organization": w.t.branch1,
            "owner": w.jia,
            "title": "为外聘职工办理企业年金",
            "year": year,
            "beneficiary_count": 12,
            "beneficiary_groups": "外聘职工",
            "status": "done",
        },
    )
    milestone = matter_services.add_milestone(w.sec1, matter.pk, "方案通过", date(year, 4, 1))
    matter_services.complete_milestone(w.sec1, milestone.pk, date(year, 4, 2))
    late = matter_services.save_matter(
        w.sec1,
        None,
        {"organization": w.t.branch1, "owner": w.jia, "title": "食堂延时供餐", "year": year, "status": "active"},
    )
    matter_services.add_milestone(w.sec1, late.pk, "征求意见", date(year, 9, 1))


def test_the_years_care_has_the_coverage_pages_figures_and_no_private_text(care_world):
    w = care_world
    year = timezone.localdate().year - 1
    _year_of_care(w, year)

    back = _render(w.t.general, year)

    text = _text(back)
    titles = [p.text for p in back.paragraphs if p.text in {str(part.title) for part in PARTS}]
    assert titles == ["五必问、五必谈、五必访落实情况", "困难职工（党员）帮扶情况", "我为群众办实事"]
    by_branch, items, register, matters = back.tables
    # the coverage page's rows for someone whose scope is 一总支 (its care officer)
    page = coverage(w.care, date(year, 1, 1), date(year, 12, 31), timezone.localdate(), "branch")
    assert [r[:7] for r in _rows(by_branch)[1:-1]] == [
        [r["name"], *(str(r[k]) for k in ("events", "due", "in_time", "late_done", "late_open", "open"))] for r in page
    ]
    assert _rows(by_branch)[-1] == ["合计", "3", "3", "1", "1", "1", "0", "33%"]
    assert "关怀事项3项，其中按期办结1项，逾期办结1项，超期未办1项，未到期0项，按期办结率33%。" in text
    assert _rows(items)[0] == ["职工", "关怀事件", "方式", "责任人", "办理人", "期限", "办理日期", "办理结果"]
    lines = {r[0]: r for r in _rows(items)[1:]}
    deadline = f"{year}-03-04"
    assert lines["甲"][1:4] == [f"生病住院（{year}-03-01）", "必访", "所在党支部书记"]
    assert lines["甲"][5:] == [deadline, deadline, "按期办结"]
    assert lines["乙"][-1] == "逾期办结" and lines["丙"][-2:] == ["—", "已超期"]
    assert _rows(register)[1] == ["甲", "中共党员", "一室", f"{year}-02-01", "—", "1", "500.00"]
    assert "全年帮扶1次，帮扶1人，金额500.00元。" in text
    rows = _rows(matters)
    assert rows[0][:2] == ["序号", "项目名称"]
    assert rows[1] == [
        "1",
        "为外聘职工办理企业年金",
        "一支部",
        "甲",
        "12",
        f"方案通过（{year}-04-01／{year}-04-02）",
        "已完成",
    ]
    assert rows[2][1] == "食堂延时供餐" and rows[2][5] == f"征求意见（{year}-09-01／未完成）"
    assert "本年度办实事项目2项，已完成1项；计划节点2个，已完成1个。" in text
    for secret in SECRETS:
        assert secret not in text


def test_gaps_are_the_obligations_past_their_deadline_and_the_late_milestones(care_world):
    w = care_world
    year = timezone.localdate().year - 1
    _year_of_care(w, year)

    (late,) = OBLIGATIONS.gaps(w.t.general, Period.year(year))
    assert late.text.startswith(f"丙（工作岗位变动，{year}-06-01）的") and "已超期未办，期限" in late.text
    assert late.section == "care" and late.link.startswith("/care/obligations/")
    assert OBLIGATIONS.gaps(w.t.branch1, Period.year(year)) == []  # 丙 is 二支部's
    (milestone,) = MATTERS.gaps(w.t.general, Period.year(year))
    assert milestone.text == f"办实事项目「食堂延时供餐」的节点「征求意见」计划{year}-09-01完成，已逾期"
    assert milestone.link.startswith("/care/matters/") and milestone.due == date(year, 9, 1)
    assert MATTERS.gaps(w.t.general, Period.year(year - 1)) == []
    assert list(HARDSHIP.gaps(w.t.general, Period.year(year))) == []


def test_the_matters_evidence_files_are_the_years_attachments(care_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = care_world
    year = timezone.localdate().year - 1
    _year_of_care(w, year)
    matter = PracticalMatter.objects.get(title="为外聘职工办理企业年金")
    content = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    ev = matter_services.add_evidence(w.sec1, matter.pk, SimpleUploadedFile("方案/定稿.pdf", content))

    (attachment,) = MATTERS.attachments(w.t.general, Period.year(year))

    assert attachment.section == "care" and attachment.size == len(content)
    assert attachment.name == f"办实事/{matter.pk}-为外聘职工办理企业年金/{ev.pk}-{ev.name}"
    assert "/" not in attachment.name.split("/", 2)[2]
    assert attachment.label == f"办实事项目「为外聘职工办理企业年金」佐证材料：{ev.name}"
    with attachment.open() as f:
        assert f.read() == content
    assert MATTERS.attachments(w.t.branch2, Period.year(year)) == []
    assert MATTERS.attachments(w.t.general, Period.year(year - 1)) == []


def test_another_branch_sees_only_its_own_and_empty_sections_say_so(care_world):
    w = care_world
    year = timezone.localdate().year - 1
    _year_of_care(w, year)
    text = _text(_render(w.t.branch2, year))
    assert "甲" not in text and "丙" in text
    assert "本年度无困难帮扶记录。" in text and "本年度无办实事记录。" in text
    empty = _text(_render(w.t.office_branch, year))
    assert "本年度无关心关怀记录。" in empty
    (care,) = [c for c in contributions() if c.app == "care"]
    assert care.documents == PARTS
    assert [(p.section, p.order, p.landscape) for p in PARTS] == [
        ("care", 10, False),
        ("care", 20, False),
        ("care", 30, False),
    ]


def _measured(w, year: int, at_most) -> None:
    for part, render, gaps in ((OBLIGATIONS, 5, 1), (HARDSHIP, 2, 0), (MATTERS, 2, 2)):
        with at_most(render):
            part.render(w.t.root, Period.year(year), paper.new_document())
        with at_most(gaps):
            part.gaps(w.t.root, Period.year(year))


def test_queries_stay_the_same_as_care_records_grow(care_world, django_assert_max_num_queries):
    w = care_world
    year = timezone.localdate().year - 1
    _year_of_care(w, year)
    _measured(w, year, django_assert_max_num_queries)
    for i in range(5):
        person = make_member(w.t.office_branch, f"机关{i}")
        services.record_event(w.office, person.pk, "hardship", date(year, 7, 1 + i), "困难")
        hardship.register(w.office, person.pk, date(year, 7, 1), "困难")
        matter = matter_services.save_matter(
            w.office,
            None,
            {"organization": w.t.office_branch, "owner": person, "title": f"实事{i}", "year": year, "status": "active"},
        )
        matter_services.add_milestone(w.office, matter.pk, "启动", date(year, 3, 1))
    _measured(w, year, django_assert_max_num_queries)
