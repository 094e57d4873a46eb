"""Pages: lists with filters at constant query counts, detail actions, confirmations, scope, home alerts."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.testing import make_member
from dangjian.transfers import alerts, lost, services
from dangjian.transfers.models import Transfer, TransferStatus

pytestmark = pytest.mark.django_db
D0 = date(2026, 3, 2)
TODAY = date(2026, 11, 30)


def _transfers(w, n: int, start: int = 0):
    for i in range(start, start + n):
        p = make_member(w.t.branch1, f"成员{i:03d}")
        if i % 3 == 0:
            t = services.request_transfer(w.sec1, p.pk, to_org_id=w.t.branch2.pk, reason="调动", requested_on=D0)
            services.send(w.sec1, t.pk, on=D0)
        else:
            t = services.request_transfer(w.sec1, p.pk, to_name=f"外单位{i}", reason="调离", requested_on=D0)
            if i % 3 == 1:
                services.send(w.sec1, t.pk, on=D0)


def _cases(w, n: int, start: int = 0):
    for i in range(start, start + n):
        p = make_member(w.t.branch1, f"失联{i:03d}")
        case = lost.open_case(w.sec1, p.pk, last_contact_on=date(2025, 1, 1))
        if i % 2:
            lost.decide(
                w.sec1,
                case.pk,
                "suspend",
                {"decided_on": date(2025, 8, 1), "decided_by": "所党委", "document_ref": "1"},
            )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/transfers/", "/transfers/?status=sent&direction=out&year=2026&q=成员"])
def test_transfer_list_query_count_does_not_grow_with_rows(world, client, url):
    client.force_login(world.office)
    _transfers(world, 3)
    small = _count(client, url)
    _transfers(world, 20, start=3)
    assert _count(client, url) == small


def test_lost_list_query_count_does_not_grow_with_rows(world, client):
    client.force_login(world.office)
    _cases(world, 2)
    small = _count(client, "/transfers/lost/?flag=any")
    _cases(world, 15, start=2)
    assert _count(client, "/transfers/lost/?flag=any") == small


def test_alerts_run_a_fixed_number_of_queries(world):
    _transfers(world, 3)
    _cases(world, 2)
    with CaptureQueriesContext(connection) as small:
        first = alerts.alerts(world.office, TODAY, limit=50)
    _transfers(world, 9, start=3)
    _cases(world, 6, start=2)
    world.office.__dict__.pop("_dangjian_scopes", None)
    world.office.__dict__.pop("_dangjian_assignments", None)
    with CaptureQueriesContext(connection) as large:
        second = alerts.alerts(world.office, TODAY, limit=50)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(second) > len(first)


def test_alerts_show_what_waits_for_each_side(world):
    t = services.request_transfer(world.sec1, world.m1.pk, to_org_id=world.t.branch2.pk, reason="调动", requested_on=D0)
    assert [a.text for a in alerts.alerts(world.sec1, TODAY)] == ["张转接的组织关系转接申请待发出（转至二支部）"]
    assert alerts.alerts(world.sec2, TODAY) == []
    services.send(world.sec1, t.pk, on=D0)
    assert [a.text for a in alerts.alerts(world.sec2, TODAY)] == ["张转接的组织关系待接收（来自一支部）"]
    assert alerts.alerts(world.sec1, TODAY) == []
    assert alerts.alerts(world.leader, TODAY) == []  # view-only: nothing to act on


def test_alerts_flag_expired_letters_and_lost_contact(world):
    other = make_member(world.t.branch1, "失联甲")
    lost.open_case(world.sec1, other.pk, last_contact_on=date(2025, 1, 1))
    t = services.request_transfer(world.sec1, world.m1.pk, to_name="外单位", reason="调离", requested_on=D0)
    services.send(world.sec1, t.pk, on=D0)
    texts = [a.text for a in alerts.alerts(world.sec1, TODAY)]
    assert "张转接的介绍信〔2026〕第0001号已过有效期，未收到回执" in texts
    assert "失联甲：失联满6个月，待作出停止党籍决定" in texts


def test_an_inside_transfer_is_visible_to_both_sides_and_hidden_from_others(world, client):
    t = services.request_transfer(world.sec1, world.m1.pk, to_org_id=world.t.branch2.pk, reason="调动", requested_on=D0)
    url = reverse("transfers:detail", args=[t.pk])
    for user, status in ((world.sec1, 200), (world.sec2, 200), (world.leader, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status
    from dangjian.testing import make_user

    stranger = make_user("sec3", "secretary", world.t.office_branch)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert "张转接" not in client.get("/transfers/").content.decode()


def test_detail_shows_history_responsibility_and_allowed_actions(world, client):
    t = services.request_transfer(world.sec1, world.m1.pk, to_org_id=world.t.branch2.pk, reason="调动", requested_on=D0)
    services.send(world.sec1, t.pk, on=D0)
    client.force_login(world.sec2)
    page = client.get(reverse("transfers:detail", args=[t.pk])).content.decode()
    assert "仍在一支部的党员名册中" in page and "第25条" in page
    assert reverse("transfers:action", args=[t.pk, "accept"]) in page
    assert reverse("transfers:action", args=[t.pk, "cancel"]) not in page
    assert "待发出 → 已发出，待接收" in page
    client.force_login(world.sec1)
    page = client.get(reverse("transfers:detail", args=[t.pk])).content.decode()
    assert reverse("transfers:action", args=[t.pk, "accept"]) not in page


def test_cancel_asks_for_confirmation_before_acting(world, client):
    t = services.request_transfer(world.sec1, world.m1.pk, to_name="外单位", reason="调离", requested_on=D0)
    client.force_login(world.sec1)
    url = reverse("transfers:action", args=[t.pk, "cancel"])
    page = client.get(url).content.decode()
    assert "确定撤销吗" in page
    assert Transfer.objects.get(pk=t.pk).status == TransferStatus.REQUESTED
    assert client.post(url, {}).status_code == 200  # no reason: the form again, nothing changed
    assert Transfer.objects.get(pk=t.pk).status == TransferStatus.REQUESTED
    response = client.post(url, {"reason": "填错了"})
    assert response.status_code == 302
    assert Transfer.objects.get(pk=t.pk).status == TransferStatus.CANCELLED


def test_an_action_not_allowed_in_the_state_redirects_with_a_message(world, client):
    t = services.request_transfer(world.sec1, world.m1.pk, to_name="外单位", reason="调离", requested_on=D0)
    client.force_login(world.sec1)
    response = client.post(reverse("transfers:action", args=[t.pk, "accept"]), {"on": "2026-03-03"}, follow=True)
    assert "不能登记回执" in response.content.decode()
    assert Transfer.objects.get(pk=t.pk).status == TransferStatus.REQUESTED


def test_request_form_from_a_members_page_and_send_then_accept_through_pages(world, client):
    client.force_login(world.sec1)
    url = reverse("transfers:new") + f"?person={world.m1.pk}"
    assert "张转接" in client.get(url).content.decode()
    response = client.post(
        url,
        {"person": world.m1.pk, "to_org": world.t.branch2.pk, "reason": "调动", "requested_on": "2026-03-02"},
    )
    t = Transfer.objects.get(person=world.m1)
    assert response.status_code == 302 and t.status == TransferStatus.REQUESTED
    response = client.post(reverse("transfers:action", args=[t.pk, "send"]), {"on": "2026-03-03", "dues_paid_to": ""})
    assert response.status_code == 302
    client.force_login(world.sec2)
    response = client.post(reverse("transfers:action", args=[t.pk, "accept"]), {"on": "2026-03-04"})
    assert response.status_code == 302
    assert Transfer.objects.get(pk=t.pk).status == TransferStatus.RECEIVED


def test_request_form_refuses_both_destinations_with_a_chinese_message(world, client):
    client.force_login(world.sec1)
    data = {"person": world.m1.pk, "to_org": world.t.branch2.pk, "to_name": "外单位", "reason": "x"}
    page = client.post(reverse("transfers:new"), {**data, "requested_on": "2026-03-02"}).content.decode()
    assert "只能二选一" in page


def test_incoming_page_registers_a_letter(world, client):
    client.force_login(world.sec2)
    data = {
        "name": "李来函",
        "id_number": "11010519491231002X",
        "ethnicity": "汉族",
        "member_status": "full",
        "admitted_on": "2010-07-01",
        "converted_on": "2011-07-01",
        "from_name": "中共某大学委员会",
        "sent_on": "2026-03-02",
        "to_org": world.t.branch2.pk,
        "dues_paid_to": "2026-02",
    }
    response = client.post(reverse("transfers:incoming"), data)
    assert response.status_code == 302
    t = Transfer.objects.get(id_number="11010519491231002X")
    assert t.dues_paid_to == date(2026, 2, 1) and t.status == TransferStatus.SENT


def test_filters_by_direction_status_org_and_name(world, client):
    _transfers(world, 3)
    client.force_login(world.office)
    page = client.get("/transfers/?direction=inside").content.decode()
    assert "成员000" in page and "成员001" not in page
    page = client.get("/transfers/?status=requested").content.decode()
    assert "成员002" in page and "成员001" not in page
    page = client.get(f"/transfers/?org={world.t.branch2.pk}").content.decode()
    assert "成员000" in page and "成员002" not in page
    page = client.get("/transfers/?q=成员001").content.decode()
    assert "成员001" in page and "成员002" not in page
    assert "没有符合条件" in client.get("/transfers/?year=2020").content.decode()


def test_lost_pages_contact_log_and_decision_with_confirmation(world, client):
    case = lost.open_case(world.sec1, world.m1.pk, last_contact_on=date(2025, 1, 1))
    client.force_login(world.sec1)
    page = client.get(reverse("transfers:lost_detail", args=[case.pk])).content.decode()
    assert "失联满6个月，待作出停止党籍决定" in page and "第24条" in page
    response = client.post(
        reverse("transfers:lost_contact", args=[case.pk]), {"on": "2025-02-01", "method": "phone", "note": "关机"}
    )
    assert response.status_code == 302
    url = reverse("transfers:lost_decide", args=[case.pk, "suspend"])
    assert "多方查找" in client.get(url).content.decode()
    response = client.post(url, {"decided_on": "2025-07-01", "decided_by": "所党委", "document_ref": "测党〔2025〕3号"})
    assert response.status_code == 302
    page = client.get(reverse("transfers:lost_list")).content.decode()
    assert "张转接" in page and "已停止党籍" in page
    client.force_login(world.sec2)
    assert client.get(reverse("transfers:lost_detail", args=[case.pk])).status_code == 404
    assert client.get(url).status_code == 404


def test_a_probationary_member_arriving_shows_the_postponement_rule(world, client):
    from dangjian.transfers import incoming

    data = {
        "name": "李预备",
        "id_number": "11010519491231002X",
        "member_status": "probationary",
        "admitted_on": date(2025, 12, 1),
        "from_name": "中共某大学委员会",
        "sent_on": D0,
        "to_org_id": world.t.branch2.pk,
    }
    t = incoming.register_incoming(world.sec2, data)
    client.force_login(world.sec2)
    page = client.get(reverse("transfers:detail", args=[t.pk])).content.decode()
    assert "转正讨论可以推迟，最长不超过6个月" in page and "第36条" in page


def test_send_form_offers_the_month_dues_are_paid_through(client, world):
    from dangjian.dues import services as dues_services

    t = services.request_transfer(
        world.sec1,
        world.m1.pk,
        to_org_id=None,
        to_name="某市某局机关党委",
        reason="调动",
        requested_on=date(2026, 3, 1),
    )
    dues_services.record_payment(
        world.sec1,
        world.m1.pk,
        {
            "kind": "regular",
            "amount": "60",
            "month_from": date(2026, 1, 1),
            "month_to": date(2026, 3, 1),
            "method": "cash",
            "receipt_number": "R1",
            "paid_on": date(2026, 3, 5),
        },
    )
    client.force_login(world.sec1)
    html = client.get(reverse("transfers:action", args=[t.pk, "send"])).content.decode()
    assert 'value="2026-03"' in html
