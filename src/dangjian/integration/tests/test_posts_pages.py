"""The 示范岗 and 责任区 pages: the flows through the forms, scope (404 outside), the 公示 lists, the missing-report
flag, and lists whose query count does not grow with rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.integration import posts as post_services
from dangjian.integration import zones as zone_services
from dangjian.integration.models import ModelPost, ZoneReport
from dangjian.testing import main_content

from .posts_world import make_world, post_data, zone_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_branch_applies_and_office_approves_through_the_pages(client, w):
    client.force_login(w.sec1)
    data = {**post_data(w), "organization": w.t.branch1.pk, "holder": w.yi.pk, "starts_on": "2024-01-01"}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    response = client.post(reverse("integration:post_create"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    post = ModelPost.objects.get()
    client.force_login(w.office)
    page = main_content(client.get(reverse("integration:post_detail", args=[post.pk])).content.decode())
    assert reverse("integration:post_approve", args=[post.pk]) in page
    response = client.post(reverse("integration:post_approve", args=[post.pk]), {"decided_on": timezone.localdate()})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == "approved" and post.plate_no


def test_refusal_shows_on_the_form_in_chinese(client, w):
    post = post_services.approve(w.office, post_services.apply(w.sec1, post_data(w)).pk)
    client.force_login(w.sec1)
    url = reverse("integration:post_review", args=[post.pk])
    today = timezone.localdate()
    assert client.post(url, {"year": today.year, "score": "70", "reviewed_on": today}).status_code == 302
    post.refresh_from_db()
    assert post.status == "withdrawn"
    response = client.post(url, {"year": today.year, "score": "90", "reviewed_on": today})
    assert response.status_code == 200
    assert "只有已授牌的示范岗可以评议" in response.content.decode()


def test_secretary_may_not_open_the_offices_pages(client, w):
    post = post_services.apply(w.sec1, post_data(w))
    client.force_login(w.sec1)
    for name in ("post_approve", "post_reject", "post_withdraw"):
        assert client.get(reverse(f"integration:{name}", args=[post.pk])).status_code == 404


def test_secretary_of_other_branch_gets_404(client, w):
    post = post_services.apply(w.sec1, post_data(w))
    zone = zone_services.create(w.sec1, zone_data(w))
    client.force_login(w.sec2)
    for name, pk in (
        ("post_detail", post.pk),
        ("post_review", post.pk),
        ("zone_detail", zone.pk),
        ("zone_report", zone.pk),
        ("zone_end", zone.pk),
    ):
        assert client.get(reverse(f"integration:{name}", args=[pk])).status_code == 404, name
    html = main_content(client.get(reverse("integration:post_list")).content.decode())
    assert "计量检定示范岗" not in html


def test_member_sees_and_reports_on_own_zone_only(client, w, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    own = zone_services.create(w.sec1, zone_data(w, name="乙的责任区"))
    other = zone_services.create(w.sec1, zone_data(w, name="丙的责任区", member=w.bing))
    client.force_login(w.member)
    html = main_content(client.get(reverse("integration:zone_list")).content.decode())
    assert "乙的责任区" in html and "丙的责任区" not in html
    assert client.get(reverse("integration:zone_report", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("integration:zone_report", args=[own.pk]),
        {
            "period": "2025Q2",
            "reported_on": "2025-07-02",
            "content": "巡检",
            "evidence_title": "照片",
            "evidence_file": SimpleUploadedFile("a.png", PNG),
        },
    )
    assert response.status_code == 302
    assert ZoneReport.objects.get(zone=own).period == "2025Q2"
    again = client.post(
        reverse("integration:zone_report", args=[own.pk]),
        {"period": "2025Q2", "reported_on": "2025-07-03", "content": "再报"},
    )
    assert "不能重复报告" in again.content.decode()
    detail = main_content(client.get(reverse("integration:zone_detail", args=[own.pk])).content.decode())
    assert "照片" in detail and "巡检" in detail


def test_public_lists_show_the_members_branch(client, w):
    post = post_services.approve(
        w.office, post_services.apply(w.sec1, post_data(w, name="一支部示范岗", starts_on=date(2020, 1, 1))).pk
    )
    post_services.apply(w.sec1, post_data(w, name="申请中的岗"))
    zone_services.create(w.sec1, zone_data(w, name="一支部责任区", member=w.bing, starts_on=date(2020, 1, 1)))
    client.force_login(w.member)
    html = main_content(client.get(reverse("integration:post_public")).content.decode())
    assert "一支部示范岗" in html and post.plate_no in html and "申请中的岗" not in html
    html = main_content(client.get(reverse("integration:zone_public")).content.decode())
    assert "一支部责任区" in html
    client.force_login(w.sec2)
    assert "一支部示范岗" not in main_content(client.get(reverse("integration:post_public")).content.decode())
    assert "一支部责任区" not in main_content(client.get(reverse("integration:zone_public")).content.decode())


def test_zone_list_flags_the_missing_last_report(client, w):
    zone_services.create(w.sec1, zone_data(w, name="未报区", starts_on=date(2020, 1, 1)))
    client.force_login(w.sec1)
    html = main_content(client.get(reverse("integration:zone_list")).content.decode())
    assert "missing-report" in html
    html = main_content(client.get(reverse("integration:zone_list") + "?status=missing").content.decode())
    assert "未报区" in html


def test_filters_narrow_the_post_list(client, w):
    post_services.apply(w.sec1, post_data(w, name="检定岗"))
    post_services.approve(w.office, post_services.apply(w.sec1, post_data(w, name="校准岗")).pk)
    client.force_login(w.office)
    html = main_content(client.get(reverse("integration:post_list") + "?status=approved").content.decode())
    assert "校准岗" in html and "检定岗" not in html
    html = main_content(client.get(reverse("integration:post_list") + "?q=检定").content.decode())
    assert "检定岗" in html and "校准岗" not in html
    html = main_content(client.get(reverse("integration:post_list") + f"?org={w.t.branch2.pk}").content.decode())
    assert "检定岗" not in html
    html = main_content(client.get(reverse("integration:post_list") + "?year=2023").content.decode())
    assert "检定岗" not in html


def test_lists_keep_their_query_count(client, w):
    def add(n: int) -> None:
        for i in range(n):
            p = post_services.apply(w.sec1, post_data(w, name=f"岗{i}", starts_on=date(2020, 1, 1)))
            post_services.approve(w.office, p.pk)
            z = zone_services.create(w.sec1, zone_data(w, name=f"区{i}", starts_on=date(2020, 1, 1)))
            zone_services.report(w.sec1, z.pk, period="2020Q1", content="x", reported_on=date(2020, 4, 1))

    urls = [reverse(f"integration:{name}") for name in ("post_list", "post_public", "zone_list", "zone_public")]
    add(1)
    client.force_login(w.sec1)
    one = [queries(client, url) for url in urls]
    add(2)
    assert [queries(client, url) for url in urls] == one


def test_zone_detail_keeps_its_query_count(client, w):
    zone = zone_services.create(w.sec1, zone_data(w))
    client.force_login(w.sec1)
    zone_services.report(w.sec1, zone.pk, period="2024Q1", content="x", reported_on=date(2024, 4, 1))
    url = reverse("integration:zone_detail", args=[zone.pk])
    one = queries(client, url)
    for q in ("2024Q2", "2024Q3"):
        zone_services.report(w.sec1, zone.pk, period=q, content="x", reported_on=date(2024, 12, 1))
    assert queries(client, url) == one


def test_office_withdraws_and_branch_ends_a_zone_through_confirmation_pages(client, w):
    post = post_services.approve(w.office, post_services.apply(w.sec1, post_data(w)).pk)
    zone = zone_services.create(w.sec1, zone_data(w))
    client.force_login(w.office)
    url = reverse("integration:post_withdraw", args=[post.pk])
    assert "撤销" in main_content(client.get(url).content.decode())
    today = timezone.localdate()
    assert client.post(url, {"reason": "岗位调整", "withdrawn_on": today}).status_code == 302
    post.refresh_from_db()
    assert post.status == "withdrawn"
    client.force_login(w.sec1)
    url = reverse("integration:zone_end", args=[zone.pk])
    assert client.post(url, {"ends_on": "2023-01-01"}).status_code == 200  # refused: before the start
    assert client.post(url, {"ends_on": today}).status_code == 302
    zone.refresh_from_db()
    assert zone.ends_on == today
    detail = main_content(client.get(reverse("integration:post_detail", args=[post.pk])).content.decode())
    assert "岗位调整" in detail


def test_office_rejects_through_the_page(client, w):
    post = post_services.apply(w.sec1, post_data(w))
    client.force_login(w.office)
    url = reverse("integration:post_reject", args=[post.pk])
    assert client.post(url, {"reason": "", "decided_on": timezone.localdate()}).status_code == 200
    assert client.post(url, {"reason": "材料不全", "decided_on": timezone.localdate()}).status_code == 302
    post.refresh_from_db()
    assert post.status == "rejected" and post.decision_note == "材料不全"


def test_branch_sets_a_zone_through_the_page_and_may_search_its_members(client, w):
    client.force_login(w.sec1)
    url = reverse("integration:zone_create")
    form = client.get(url + "?q=乙").content.decode()
    assert "乙" in form and "丁" not in form
    data = {**zone_data(w), "organization": w.t.branch1.pk, "member": w.yi.pk, "starts_on": "2024-01-01"}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/integration/zones/")
