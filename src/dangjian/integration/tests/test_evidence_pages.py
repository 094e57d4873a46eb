"""Evidence files of carriers: downloaded by whoever sees the record they prove, withdrawn (with a reason) by its
maintainers; 404 outside the scope, after withdrawal, or for a report under another branch's team."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.core import context
from dangjian.integration import evidence
from dangjian.integration.models import CarrierEvidence, TaskforceReport, ZoneReport
from dangjian.testing import make_member, make_tree, make_user

from . import carriers as f

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", department=t.dept1)
    p2 = make_member(t.branch2, "乙二", department=t.dept2)
    users = {
        "sec1": make_user("sec1", "secretary", t.branch1, person=p1),
        "sec2": make_user("sec2", "secretary", t.branch2, person=p2),
        "office": make_user("office", "office", t.root),
        "member": make_user("member2", "member", t.branch2, person=make_member(t.branch2, "乙三")),
    }
    return t, p1, p2, users


def _attach(user, target, title="照片"):
    with context.acting(user, channel="web"):
        return evidence.attach(user, target, title, SimpleUploadedFile("a.png", PNG))


def test_the_file_downloads_inside_the_scope_only(client, world):
    t, p1, p2, users = world
    ev = _attach(users["sec1"], f.zone(t.branch1, p1), "责任区照片")
    url = reverse("integration:evidence_download", args=[ev.pk])
    for name in ("sec1", "office"):
        client.force_login(users[name])
        response = client.get(url)
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == PNG
    for name in ("sec2", "member"):
        client.force_login(users[name])
        assert client.get(url).status_code == 404
    assert client.post(url).status_code == 405


def test_a_report_file_follows_its_team_or_zone(client, world):
    t, p1, p2, users = world
    team = f.taskforce(t.branch2, users["office"], people=[p2])
    report = TaskforceReport.objects.create(
        taskforce=team, reported_on=date(2026, 3, 1), content="进展", reported_by=users["sec2"]
    )
    ev = _attach(users["sec2"], report)
    zone_report = ZoneReport.objects.create(
        zone=f.zone(t.branch1, p1),
        period="2026Q1",
        reported_on=date(2026, 3, 31),
        content="履责",
        reported_by=users["sec1"],
    )
    ev1 = _attach(users["sec1"], zone_report)
    client.force_login(users["sec2"])
    assert client.get(reverse("integration:evidence_download", args=[ev.pk])).status_code == 200
    assert client.get(reverse("integration:evidence_download", args=[ev1.pk])).status_code == 404
    client.force_login(users["sec1"])
    assert client.get(reverse("integration:evidence_download", args=[ev.pk])).status_code == 404
    assert client.get(reverse("integration:evidence_download", args=[ev1.pk])).status_code == 200


def test_withdrawing_needs_a_reason_and_the_maintainer(client, world):
    t, p1, p2, users = world
    ev = _attach(users["sec1"], f.zone(t.branch1, p1))
    url = reverse("integration:evidence_withdraw", args=[ev.pk])
    client.force_login(users["sec2"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "错传"}).status_code == 404
    client.force_login(users["sec1"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200  # the form again, with its error
    assert CarrierEvidence.objects.get(pk=ev.pk).withdrawn_at is None
    response = client.post(url + "?next=/people/", {"reason": "上传错了文件"})
    assert response.status_code == 302 and response["Location"] == "/people/"
    ev.refresh_from_db()
    assert ev.withdrawn_at is not None and ev.withdrawn_reason == "上传错了文件"
    assert client.get(reverse("integration:evidence_download", args=[ev.pk])).status_code == 404
    assert client.post(url + "?next=https://evil.example/", {"reason": "x"}).status_code == 404  # withdrawn


def test_a_member_who_sees_the_record_cannot_withdraw(client, world):
    t, p1, p2, users = world
    member = users["member"]
    ev = _attach(users["sec2"], f.zone(t.branch2, member.person))
    client.force_login(member)
    assert client.get(reverse("integration:evidence_download", args=[ev.pk])).status_code == 200
    assert client.get(reverse("integration:evidence_withdraw", args=[ev.pk])).status_code == 404
