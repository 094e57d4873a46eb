"""Pledges (亮身份、守承诺、作表率): a member writes and submits, the branch approves (公示) or returns, the year-end
fulfilment review (践诺); one a year; the pages, the home items and the democratic appraisal's information."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.integration import pledges, team_home
from dangjian.integration.models import Pledge
from dangjian.testing import make_member, make_user

from .team_world import build

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def w():
    world = build()
    world.p3 = make_member(world.t.branch1, "丙三", department=world.t.dept1)
    world.member3 = make_user("m3", "member", world.t.branch1, person=world.p3, subtree=False)
    return world


def _write(w, year: int = YEAR, **extra) -> Pledge:
    return pledges.write_own(w.member3, {"year": year, "promise": "带头攻关，按期交付", "project": None, **extra})


def test_member_writes_submits_and_branch_approves(w):
    pledge = _write(w)
    assert (pledge.status, pledge.organization, pledge.starts_on) == ("draft", w.t.branch1, date(YEAR, 1, 1))
    pledges.submit(w.member3, pledge.pk)
    pledge.refresh_from_db()
    assert pledge.status == "submitted" and pledge.submitted_on == timezone.localdate()
    pledges.approve(w.sec1, pledge.pk)
    pledge.refresh_from_db()
    assert (pledge.status, pledge.reviewed_by) == ("approved", w.sec1)
    with pytest.raises(ValidationError) as exc:
        pledges.submit(w.member3, pledge.pk)
    assert exc.value.messages == ["承诺已提交，请等待党支部审核"]


def test_one_pledge_a_member_and_year(w):
    _write(w)
    with pytest.raises(ValidationError) as exc:
        _write(w)
    assert exc.value.message_dict["year"] == ["2025年度的承诺已经存在，每名党员每年只作一份承诺"]
    with pytest.raises(ValidationError):
        pledges.enter_for(w.sec1, {"person": w.p3, "year": YEAR, "promise": "x"})
    assert _write(w, year=YEAR + 1).year == YEAR + 1


def test_return_needs_a_reason_and_the_member_resubmits(w):
    pledge = _write(w)
    pledges.submit(w.member3, pledge.pk)
    with pytest.raises(ValidationError) as exc:
        pledges.return_(w.sec1, pledge.pk, "")
    assert exc.value.message_dict["reason"] == ["退回承诺须填写原因"]
    pledges.return_(w.sec1, pledge.pk, "请结合重点任务写具体")
    pledges.edit_own(w.member3, pledge.pk, {"promise": "三季度前完成样机", "project": w.project})
    pledges.submit(w.member3, pledge.pk)
    pledge.refresh_from_db()
    assert (pledge.status, pledge.project, pledge.review_note) == ("submitted", w.project, "请结合重点任务写具体")


def test_only_a_member_on_the_rolls_pledges_and_only_their_own(w):
    staff = make_user("staff", "member", w.t.branch1)
    with pytest.raises(ValidationError) as exc:
        pledges.write_own(staff, {"year": YEAR, "promise": "x"})
    assert exc.value.messages == ["您的账号未关联党员信息，不能作出承诺"]
    pledge = _write(w)
    with pytest.raises(Http404):
        pledges.submit(w.sec1, pledge.pk)  # not theirs


def test_reviewing_is_the_branch_and_not_for_ones_own_pledge(w):
    pledge = _write(w)
    pledges.submit(w.member3, pledge.pk)
    with pytest.raises(Http404):
        pledges.approve(w.sec2, pledge.pk)
    own = pledges.write_own(w.sec1, {"year": YEAR, "promise": "做好表率"})
    pledges.submit(w.sec1, own.pk)
    with pytest.raises(ValidationError) as exc:
        pledges.approve(w.sec1, own.pk)
    assert exc.value.messages == ["不能审核本人的承诺，请由党支部其他委员审核"]
    pledges.approve(w.office, own.pk)


def test_branch_enters_a_pledge_for_a_member(w):
    pledge = pledges.enter_for(w.sec1, {"person": w.p3, "year": YEAR, "promise": "做好传帮带"})
    assert pledge.status == "submitted"
    with pytest.raises(Http404):
        pledges.enter_for(w.sec1, {"person": w.p2, "year": YEAR, "promise": "x"})


def test_fulfilment_is_reviewed_at_year_end_on_a_published_pledge(w):
    pledge = _write(w)
    with pytest.raises(ValidationError) as exc:
        pledges.review_fulfilment(w.sec1, pledge.pk, "fulfilled", "")
    assert exc.value.messages == ["只能对已公示的承诺进行践诺评议"]
    pledges.submit(w.member3, pledge.pk)
    pledges.approve(w.sec1, pledge.pk)
    with pytest.raises(ValidationError) as exc:
        pledges.review_fulfilment(w.sec1, pledge.pk, "partly", "")
    assert exc.value.message_dict["fulfilment_note"] == ["部分践诺或未践诺的，须填写践诺评价"]
    pledges.review_fulfilment(w.sec1, pledge.pk, "partly", "样机延期一个月")
    pledge.refresh_from_db()
    assert (pledge.fulfilment, pledge.fulfilment_by) == ("partly", w.sec1)
    future = _write(w, year=timezone.localdate().year + 1)
    pledges.submit(w.member3, future.pk)
    pledges.approve(w.sec1, future.pk)
    with pytest.raises(ValidationError) as exc:
        pledges.review_fulfilment(w.sec1, future.pk, "fulfilled", "")
    assert "践诺评议在年底进行" in exc.value.messages[0]


def test_pledges_for_gives_published_pledges_with_fulfilment(w):
    published = _write(w)
    pledges.submit(w.member3, published.pk)
    pledges.approve(w.sec1, published.pk)
    pledges.review_fulfilment(w.sec1, published.pk, "fulfilled", "")
    pledges.write_own(w.sec1, {"year": YEAR, "promise": "草稿"})
    found = pledges.pledges_for([w.p1.pk, w.p3.pk], YEAR)
    assert list(found) == [w.p3.pk] and found[w.p3.pk].fulfilment == "fulfilled"


def test_democratic_appraisal_shows_the_pledge_and_its_fulfilment(w, client):
    from dangjian.appraisal.services import open_appraisal

    published = _write(w)
    pledges.submit(w.member3, published.pk)
    pledges.approve(w.sec1, published.pk)
    pledges.review_fulfilment(w.sec1, published.pk, "unfulfilled", "未按期完成")
    appraisal = open_appraisal(w.sec1, w.t.branch1.pk, YEAR)
    client.force_login(w.sec1)
    html = client.get(reverse("appraisal:detail", args=[appraisal.pk])).content.decode()
    table = html[html.index('id="appraisal-table"') :]
    row = table[table.index("丙三") :].split("</tr>")[0]
    assert "未践诺" in row
    row = table[table.index("甲一") :].split("</tr>")[0]
    assert "无公示承诺" in row


def test_member_pages_write_and_submit(w, client):
    client.force_login(w.member3)
    assert client.get(reverse("integration:pledge_mine")).status_code == 200
    response = client.post(reverse("integration:pledge_write"), {"year": YEAR, "promise": "带头攻关", "project": ""})
    assert response.status_code == 302
    pledge = Pledge.objects.get(person=w.p3)
    response = client.post(reverse("integration:pledge_write"), {"year": YEAR, "promise": "再写一份", "project": ""})
    assert "每名党员每年只作一份承诺" in response.content.decode()
    assert client.post(reverse("integration:pledge_submit", args=[pledge.pk])).status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == "submitted"
    # the branch's pages are not a member's
    assert client.get(reverse("integration:pledge_review")).status_code == 404
    assert client.get(reverse("integration:pledge_approve", args=[pledge.pk])).status_code == 404


def test_review_page_counts_and_filters(w, client):
    pledge = _write(w)
    pledges.submit(w.member3, pledge.pk)
    client.force_login(w.sec1)
    url = reverse("integration:pledge_review")
    html = client.get(url, {"year": YEAR}).content.decode()
    assert "党员 2 人：待审核 1，已公示 0，已退回 0，未提交 1。" in html
    html = client.get(url, {"year": YEAR, "status": "missing"}).content.decode()
    table = html[html.index('id="pledge-review"') :]
    assert "甲一" in table and "丙三" not in table
    client.post(reverse("integration:pledge_approve", args=[pledge.pk]))
    pledge.refresh_from_db()
    assert pledge.status == "approved"


def test_public_list_shows_approved_pledges_of_the_members_branch(w, client):
    pledge = _write(w)
    pledges.submit(w.member3, pledge.pk)
    pledges.approve(w.sec1, pledge.pk)
    other = make_member(w.t.branch1, "戊五", department=w.t.dept1)
    pledges.enter_for(w.sec1, {"person": other, "year": YEAR, "promise": "待审核的承诺"})
    p4 = make_member(w.t.branch1, "己六", department=w.t.dept1)
    member1 = make_user("m4", "member", w.t.branch1, person=p4, subtree=False)
    client.force_login(member1)  # another member of the branch sees what is published
    html = client.get(reverse("integration:pledge_public"), {"year": YEAR}).content.decode()
    assert "带头攻关，按期交付" in html and "待审核的承诺" not in html
    client.force_login(w.sec2)
    html = client.get(reverse("integration:pledge_public"), {"year": YEAR}).content.decode()
    assert "带头攻关，按期交付" not in html


def test_other_branch_gets_404(w, client):
    pledge = _write(w)
    client.force_login(w.sec2)
    for name in ("pledge_detail", "pledge_approve", "pledge_return", "pledge_fulfil", "pledge_edit", "pledge_submit"):
        assert client.get(reverse(f"integration:{name}", args=[pledge.pk])).status_code == 404, name


def _members(w, n: int):
    for i in range(n):
        person = make_member(w.t.branch1, f"党员{n}{i}", department=w.t.dept1)
        pledges.enter_for(w.sec1, {"person": person, "year": YEAR, "promise": "承诺"})


def _queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_review_and_public_queries_do_not_grow(w, client):
    client.force_login(w.sec1)
    _members(w, 1)
    Pledge.objects.update(status="approved")
    review, public = reverse("integration:pledge_review"), reverse("integration:pledge_public")
    _queries(client, review, {"year": YEAR}), _queries(client, public, {"year": YEAR})  # warm the caches
    before = (_queries(client, review, {"year": YEAR}), _queries(client, public, {"year": YEAR}))
    _members(w, 3)
    Pledge.objects.update(status="approved")
    assert (_queries(client, review, {"year": YEAR}), _queries(client, public, {"year": YEAR})) == before


def test_home_items_for_member_and_branch(w):
    jan = date(YEAR, 1, 15)
    items = team_home.home_items(w.member3, jan)
    assert [i.text for i in items] == ["请作出2025年度承诺（亮身份、守承诺、作表率）并提交党支部"]
    assert team_home.home_items(w.member3, date(YEAR, 4, 1)) == []
    pledge = _write(w)
    assert [i.text for i in team_home.home_items(w.member3, jan)] == ["您的2025年度承诺尚未提交党支部审核"]
    pledges.submit(w.member3, pledge.pk)
    assert team_home.home_items(w.member3, jan) == []
    texts = [i.text for i in team_home.home_items(w.sec1, jan)]
    assert "1 份党员承诺待审核" in texts
    pledges.return_(w.sec1, pledge.pk, "请写具体")
    assert [i.text for i in team_home.home_items(w.member3, date(YEAR, 6, 1))] == [
        "您的2025年度承诺被党支部退回：请写具体"
    ]
    pledges.submit(w.member3, pledge.pk)
    pledges.approve(w.sec1, pledge.pk)
    dec = date(YEAR, 12, 5)
    assert "2025年度尚有 1 份承诺待践诺评议" in [i.text for i in team_home.home_items(w.sec1, dec)]
    assert all("践诺" not in i.text for i in team_home.home_items(w.sec1, date(YEAR, 11, 30)))


def test_home_items_queries_are_constant(w):
    _members(w, 1)
    with CaptureQueriesContext(connection) as small:
        team_home.home_items(w.sec1, date(YEAR, 12, 5))
    _members(w, 3)
    with CaptureQueriesContext(connection) as large:
        team_home.home_items(w.sec1, date(YEAR, 12, 5))
    assert len(small.captured_queries) == len(large.captured_queries)


def test_a_member_names_a_stage_of_the_committees_line_but_not_another_committees(w):
    from dangjian.integration.models import BusinessLine, ProcessStage
    from dangjian.orgs.models import Organization

    line = BusinessLine.objects.create(organization=w.t.root, code="L1", name="计量校准服务")
    stage = ProcessStage.objects.create(line=line, name="实施")
    pledge = _write(w, stage=stage)
    assert pledge.stage == stage
    other_root = Organization.objects.add_root(
        dict(kind="committee", code="X00", name="他所党委", founded_on=date(2000, 1, 1))
    )
    other = ProcessStage.objects.create(
        line=BusinessLine.objects.create(organization=other_root, code="L2", name="他所主业"), name="交付"
    )
    with pytest.raises(ValidationError) as exc:
        _write(w, year=YEAR + 1, stage=other)
    assert exc.value.message_dict["stage"] == ["该业务流程环节不在您的查看范围内"]
