"""The 年度工作计划 part of the yearly record (台账): the own plan's items and the items deployed from above, rendered
into a .docx and read back; the gaps; the queries."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import docx
import pytest
from django.urls import reverse

from dangjian.core import context, paper
from dangjian.core.contributions import Period, contributions
from dangjian.workplan import services
from dangjian.workplan.ledger import PARTS, PLAN

from .factories import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def _rendered(org, year: int):
    document = paper.new_document()
    PLAN.render(org, Period.year(year), document)
    buffer = BytesIO()
    document.save(buffer)
    return docx.Document(BytesIO(buffer.getvalue()))


def _rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def _own_plan(w, *, publish: bool = True):
    """branch1's plan derived from the committee's, with an item of its own; issued, the item is deployed to its
    secretary and done."""
    with context.acting(w.sec1):
        plan = services.derive_plan(w.sec1, w.t.branch1, w.year)
        item = services.save_item(w.sec1, plan.pk, {"category": "组织建设", "title": "规范支部台账"})
        if not publish:
            return plan
        services.publish_plan(w.sec1, plan.pk, f"一支部〔{w.year}〕1号", date(w.year, 2, 1))
        dep = services.deploy(
            w.sec1,
            item.pk,
            {"organization": w.t.branch1, "responsible": w.a, "measure": "每季度检查", "deadline": date(w.year, 6, 30)},
        )
        services.mark_done(w.sec1, dep.pk, date(w.year, 6, 1))
    return plan


def test_the_own_plan_and_the_items_deployed_from_above_with_person_deadline_status_and_progress(w):
    plan = _own_plan(w)
    back = _rendered(w.t.branch1, w.year)
    texts = [p.text for p in back.paragraphs]
    assert texts[0] == "一、本组织年度工作计划"
    issued = f"一支部〔{w.year}〕1号，{w.year}年2月1日印发"
    assert f"《{plan.title}》（{issued}），根据《{w.plan.title}》制定，共列工作事项2项。" in texts
    own, deployed = back.tables
    # the derived item is not deployed yet; the branch's own item is, and done
    assert _rows(own) == [
        ["1", "融合发展：党建引领科研攻关", "—", "—", "未部署", "—"],
        ["2", "组织建设：规范支部台账", "甲一", "6月30日", "已完成", f"已于{w.year}年6月1日完成"],
    ]
    assert "二、上级部署的工作任务" in texts
    assert f"据《{w.plan.title}》（所党发〔{w.year}〕1号，{w.year}年1月1日印发）部署：" in texts
    assert _rows(deployed) == [
        ["1", "党建引领科研攻关：组建党员突击队", "一支部", "甲一", "12月31日", "推进中", "未报告"],
    ]


def test_a_branch_without_a_plan_says_so_and_the_gaps_find_it(w):
    texts = [p.text for p in _rendered(w.t.branch1, w.year).paragraphs]
    assert "本年度未制定工作计划。" in texts
    assert [p.text for p in _rendered(w.t.office_branch, w.year).paragraphs] == ["本年度无工作计划记录。"]

    (gap,) = PLAN.gaps(w.t.branch1, Period.year(w.year))
    assert (gap.section, gap.text, gap.link) == (
        "plan",
        f"一支部未制定{w.year}年度工作计划",
        reverse("workplan:plan_derive"),
    )
    (gap,) = PLAN.gaps(w.t.root, Period.year(w.year + 1))
    assert gap.link == reverse("workplan:plan_create")
    assert list(PLAN.gaps(w.t.root, Period.year(w.year))) == []  # the committee's plan is issued

    plan = _own_plan(w, publish=False)
    assert f"《{plan.title}》（草拟中），根据《{w.plan.title}》制定，共列工作事项2项。" in [
        p.text for p in _rendered(w.t.branch1, w.year).paragraphs
    ]
    (gap,) = PLAN.gaps(w.t.branch1, Period.year(w.year))
    assert gap.text == f"{w.year}年度工作计划《{plan.title}》尚未印发"
    assert gap.link == reverse("workplan:plan_detail", args=[plan.pk])
    with context.acting(w.sec1):
        services.publish_plan(w.sec1, plan.pk, f"一支部〔{w.year}〕1号", date(w.year, 2, 1))
    assert list(PLAN.gaps(w.t.branch1, Period.year(w.year))) == []
    assert list(PLAN.attachments(w.t.branch1, Period.year(w.year))) == []


def test_the_part_is_registered_and_reads_a_constant_number_of_queries(w, django_assert_max_num_queries):
    (workplan,) = [c for c in contributions() if c.app == "workplan"]
    assert workplan.documents == PARTS == (PLAN,)
    assert (PLAN.section, PLAN.key, PLAN.title) == ("plan", "workplan.plan", "")
    _own_plan(w)
    with django_assert_max_num_queries(8):
        PLAN.render(w.t.branch1, Period.year(w.year), docx.Document())
    with context.acting(w.office):
        for i in range(4):
            item = services.save_item(w.office, w.plan.pk, {"category": "党建", "title": f"事项{i}"})
            services.deploy(
                w.office,
                item.pk,
                {"organization": w.t.branch1, "responsible": w.b, "measure": "落实", "deadline": date(w.year, 9, 1)},
            )
    with django_assert_max_num_queries(8):
        PLAN.render(w.t.branch1, Period.year(w.year), docx.Document())
    with django_assert_max_num_queries(1):
        list(PLAN.gaps(w.t.branch1, Period.year(w.year)))
