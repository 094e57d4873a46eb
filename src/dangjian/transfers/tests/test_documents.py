"""The transfers' parts of the ledger (转入转出名册, 失联党员名册): rendered into a .docx, re-opened, read back against
the pages; their gaps and queries."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core import paper
from dangjian.core.contributions import Period, contributions
from dangjian.testing import make_member
from dangjian.transfers import lost, services
from dangjian.transfers.documents import LOST, TRANSFERS
from dangjian.transfers.models import LostContact

pytestmark = pytest.mark.django_db
CANCEL_REASON = "本人放弃调动，家庭原因"
CONTACT_NOTE = "电话停机，家属称其在外地务工"


def _render(org, year: int, part=TRANSFERS) -> docx.Document:
    document = paper.new_document()
    part.render(org, Period.year(year), document)
    return docx.Document(BytesIO(paper.to_bytes(document)))


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += ["｜".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
    return "\n".join(parts)


def _rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _transfers(w, today: date):
    """This year: 张转接 moves from 一支部 to 二支部 (received), 李外调 leaves the tree (letter sent), 王放弃's
    request is cancelled; last year: 赵去年 asked to leave."""
    inside = services.request_transfer(w.sec1, w.m1.pk, to_org_id=w.t.branch2.pk, reason="工作调动", requested_on=today)
    services.accept(w.office, inside.pk, on=today)
    leaving = make_member(w.t.branch1, "李外调")
    out = services.request_transfer(w.sec1, leaving.pk, to_name="外单位党委", reason="调离", requested_on=today)
    services.send(w.sec1, out.pk, on=today)
    giving_up = make_member(w.t.branch1, "王放弃")
    cancelled = services.request_transfer(
        w.sec1, giving_up.pk, to_org_id=w.t.branch2.pk, reason="工作调动", requested_on=today
    )
    services.cancel(w.sec1, cancelled.pk, reason=CANCEL_REASON)
    last_year = make_member(w.t.branch1, "赵去年")
    services.request_transfer(
        w.sec1, last_year.pk, to_name="外地党委", reason="调离", requested_on=date(today.year - 1, 6, 1)
    )
    out.refresh_from_db()
    return out


def test_the_years_transfers_as_seen_from_the_branch_and_from_above_without_id_numbers(world, client):
    today = timezone.localdate()
    out = _transfers(world, today)

    back = _render(world.t.branch1, today.year)

    text = _text(back)
    assert back.paragraphs[0].text == "党员组织关系转入转出名册"
    transfers = _rows(back.tables[0])
    assert transfers[0] == [
        "序号",
        "姓名",
        "性别",
        "党员类别",
        "转接",
        "转出党组织",
        "转入党组织",
        "申请日期",
        "介绍信编号",
        "开具日期",
        "办结日期",
        "状态",
    ]
    by_name = {r[1]: r[2:] for r in transfers[1:]}
    assert set(by_name) == {"张转接", "李外调", "王放弃"}  # not last year's
    iso = f"{today:%Y-%m-%d}"
    assert by_name["张转接"][1:5] == ["正式党员", "转出", "一支部", "二支部"]
    assert by_name["张转接"][-2:] == [iso, "已接收"]
    assert by_name["李外调"][2] == "转出（系统外）" and by_name["李外调"][6:8] == [out.letter_number, iso]
    assert by_name["王放弃"][-2:] == [iso, "已撤销"]
    assert "转接3件：转出3件，转入0件，内部转接0件；已接收1件，尚在办理1件，被拒收、撤销或介绍信过期1件。" in text
    # the list page filtered by the branch and the year counts the same transfers
    client.force_login(world.office)
    page = client.get(reverse("transfers:list"), {"org": world.t.branch1.pk, "year": today.year}).context["page"]
    assert page.paginator.count == len(transfers) - 1
    # seen from 一总支, the move between its two branches is internal; from 二支部 it came in
    assert {r[1]: r[4] for r in _rows(_render(world.t.general, today.year).tables[0])[1:]}["张转接"] == "内部转接"
    assert {r[1]: r[4] for r in _rows(_render(world.t.branch2, today.year).tables[0])[1:]}["张转接"] == "转入"
    for person in (world.m1, out.person):
        assert person.id_number not in text
    assert CANCEL_REASON not in text
    # the letter sent and not yet received this year, and last year's request never sent, are not completed
    gaps = TRANSFERS.gaps(world.t.branch1, Period.year(today.year))
    assert sorted(g.text for g in gaps) == [
        f"李外调的组织关系转出（系统外）尚未办结（已发出，待接收，{iso}申请）",
        f"赵去年的组织关系转出（系统外）尚未办结（待发出，{today.year - 1}-06-01申请）",
    ]
    assert all(g.section == "development" and g.link.startswith("/transfers/") for g in gaps)
    assert [g.text[:3] for g in TRANSFERS.gaps(world.t.branch1, Period.year(today.year - 1))] == ["赵去年"]
    assert TRANSFERS.gaps(world.t.branch2, Period.year(today.year)) == []


def test_lost_contact_cases_of_the_year_with_their_steps_and_no_notes(world):
    today = timezone.localdate()
    suspended = lost.open_case(world.sec1, world.m1.pk, last_contact_on=today - timedelta(days=400))
    lost.record_contact(world.sec1, suspended.pk, on=today, method="phone", reached=False, note=CONTACT_NOTE)
    decision = {"decided_on": today, "decided_by": "一支部支委会", "document_ref": "测党〔2026〕12号"}
    lost.decide(world.sec1, suspended.pk, "suspend", decision)
    old = make_member(world.t.branch1, "钱早年")
    case = lost.open_case(world.sec1, old.pk, last_contact_on=today - timedelta(days=800))
    lost.close(world.sec1, case.pk, reason="已联系上")
    LostContact.objects.filter(pk=case.pk).update(opened_on=today - timedelta(days=700))  # a case of years ago

    assert "本年度无党员组织关系转入转出记录。" in _text(_render(world.t.general, today.year))
    back = _render(world.t.general, today.year, LOST)

    text = _text(back)
    assert back.paragraphs[0].text == "失联党员名册"
    (table,) = back.tables
    rows = _rows(table)
    assert rows[0] == ["姓名", "党支部", "登记日期", "最后联系上", "状态", "本年度联系与处置"]
    assert [r[0] for r in rows[1:]] == ["张转接"]  # 钱早年's case closed years ago, nothing in this year
    assert rows[1][4] == "已停止党籍"
    iso = f"{today:%Y-%m-%d}"
    assert (
        f"{iso} 电话，未联系上" in rows[1][5]
        and f"{iso} 一支部支委会作出停止党籍决定（测党〔2026〕12号）" in rows[1][5]
    )
    assert "本年度涉及失联党员1人，目前查找联系中0人，已停止党籍1人" in text
    assert CONTACT_NOTE not in text
    assert "本年度无失联党员记录。" in _text(_render(world.t.branch2, today.year, LOST))
    (transfers,) = [c for c in contributions() if c.app == "transfers"]
    assert transfers.documents == (TRANSFERS, LOST)
    assert (TRANSFERS.section, TRANSFERS.order, TRANSFERS.landscape) == ("development", 60, True)
    assert (LOST.section, LOST.order, LOST.landscape) == ("development", 70, False)


def _measured(world, today: date, at_most) -> None:
    with at_most(1):
        TRANSFERS.render(world.t.root, Period.year(today.year), paper.new_document())
    with at_most(1):
        TRANSFERS.gaps(world.t.root, Period.year(today.year))
    with at_most(3):
        LOST.render(world.t.root, Period.year(today.year), paper.new_document())


def test_queries_stay_the_same_as_transfers_and_cases_grow(world, django_assert_max_num_queries):
    today = timezone.localdate()
    _transfers(world, today)
    case = lost.open_case(world.sec1, make_member(world.t.branch1, "失联一").pk, last_contact_on=today)
    _measured(world, today, django_assert_max_num_queries)
    for i in range(6):
        person = make_member(world.t.branch2, f"二支部{i}")
        services.request_transfer(world.sec2, person.pk, to_name="外单位", reason="调离", requested_on=today)
        other = lost.open_case(world.sec2, make_member(world.t.branch2, f"失联{i}").pk, last_contact_on=today)
        lost.record_contact(world.sec2, other.pk, on=today, method="visit", reached=True)
    lost.record_contact(world.sec1, case.pk, on=today, method="letter", reached=False)
    _measured(world, today, django_assert_max_num_queries)
