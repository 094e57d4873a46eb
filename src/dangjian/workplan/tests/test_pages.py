"""The work plan pages: the office keeps the committee's plan, a secretary the branch's, a member sees their own
deployments; out of scope is 404; lists keep their query count as rows grow."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.core import context
from dangjian.integration import evidence
from dangjian.testing import main_content
from dangjian.workplan import services
from dangjian.workplan.models import Deployment, DeploymentStatus, PlanItem, ProgressReport, WorkPlan

from .factories import make_world

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def w():
    return make_world()


def html(client, user, url, **kw):
    client.force_login(user)
    response = client.get(url, **kw)
    assert response.status_code == 200, response.status_code
    return main_content(response.content.decode())


def test_office_sees_the_committee_plan_with_items_deployments_and_progress(client, w):
    services.report_progress(w.sec1, w.dep.pk, {"percent": 40, "content": "突击队已组建"})
    page = html(client, w.office, reverse("workplan:plan_detail", args=[w.plan.pk]))
    assert "党建引领科研攻关" in page and "一支部" in page and "甲一" in page
    assert "40%" in page and "突击队已组建" in page and "计量校准服务" in page and "高精度校准装置研制" in page
    assert reverse("workplan:deployment_cancel", args=[w.dep.pk]) in page
    listing = html(client, w.office, reverse("workplan:plans") + f"?year={w.year}")
    assert w.plan.title in listing


def test_the_committee_plan_is_404_for_a_secretary_who_reports_on_it_from_their_list(client, w):
    client.force_login(w.sec1)
    assert client.get(reverse("workplan:plan_detail", args=[w.plan.pk])).status_code == 404
    assert client.get(reverse("workplan:item_edit", args=[w.item.pk])).status_code == 404
    assert client.get(reverse("workplan:deployment_cancel", args=[w.dep.pk])).status_code == 404
    page = html(client, w.sec1, reverse("workplan:deployments"))
    assert "党建引领科研攻关" in page and reverse("workplan:deployment_report", args=[w.dep.pk]) in page
    client.force_login(w.sec2)
    assert client.get(reverse("workplan:deployment_report", args=[w.dep.pk])).status_code == 404
    assert "党建引领科研攻关" not in html(client, w.sec2, reverse("workplan:deployments"))


def test_a_member_sees_only_their_own_deployments(client, w):
    plan = services.derive_plan(w.sec1, w.t.branch1, w.year)
    own = services.save_item(w.sec1, plan.pk, {"title": "党员示范岗创建"})
    services.publish_plan(w.sec1, plan.pk, "1号", date(w.year, 2, 1))
    dep = services.deploy(
        w.sec1,
        own.pk,
        {"organization": w.t.branch1, "responsible": w.b, "measure": "m", "deadline": date(w.year, 9, 1)},
    )
    page = html(client, w.member, reverse("workplan:deployments"))
    assert "党员示范岗创建" in page and "党建引领科研攻关" not in page
    client.force_login(w.member)
    assert client.get(reverse("workplan:plan_detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("workplan:deployment_report", args=[w.dep.pk])).status_code == 404
    assert client.get(reverse("workplan:deployment_report", args=[dep.pk])).status_code == 200
    assert client.get(reverse("workplan:deployment_cancel", args=[dep.pk])).status_code == 404


def test_the_office_writes_the_plan_through_the_pages(client, w):
    client.force_login(w.office)
    response = client.post(reverse("workplan:plan_create"), {"organization": w.t.root.pk, "year": w.year + 1})
    plan = WorkPlan.objects.get(year=w.year + 1)
    assert response.status_code == 302 and response["Location"] == reverse("workplan:plan_detail", args=[plan.pk])
    response = client.post(
        reverse("workplan:item_create", args=[plan.pk]),
        {"category": "融合发展", "title": "服务重点任务", "lines": [w.line.pk], "projects": []},
    )
    assert response.status_code == 302
    item = PlanItem.objects.get(plan=plan)
    assert list(item.lines.all()) == [w.line]
    # not issued yet: the deploy form says why
    page = client.post(
        reverse("workplan:item_deploy", args=[item.pk]),
        {"organization": w.t.branch2.pk, "responsible": w.c.pk, "measure": "m", "deadline": f"{w.year + 1}-03-01"},
    ).content.decode()
    assert "计划印发后才能部署工作事项" in page
    today = timezone.localdate()
    assert (
        client.post(
            reverse("workplan:plan_publish", args=[plan.pk]), {"doc_no": "所党发〔1〕号", "published_on": today}
        ).status_code
        == 302
    )
    response = client.post(
        reverse("workplan:item_deploy", args=[item.pk]),
        {"organization": w.t.branch2.pk, "responsible": w.c.pk, "measure": "m", "deadline": f"{w.year + 1}-03-01"},
    )
    assert response.status_code == 302 and Deployment.objects.filter(item=item, organization=w.t.branch2).exists()
    response = client.post(reverse("workplan:deployment_cancel", args=[w.dep.pk]), {"reason": "任务调整"})
    assert response.status_code == 302
    w.dep.refresh_from_db()
    assert w.dep.status == DeploymentStatus.CANCELLED and w.dep.cancel_reason == "任务调整"


def test_the_secretary_derives_reports_with_files_and_marks_done(client, w, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(w.sec1)
    response = client.post(reverse("workplan:plan_derive"), {"organization": w.t.branch1.pk, "year": w.year})
    plan = WorkPlan.objects.get(organization=w.t.branch1)
    assert response.status_code == 302 and plan.items.get().source == w.item
    files = [SimpleUploadedFile("a.pdf", PDF, "application/pdf"), SimpleUploadedFile("b.pdf", PDF, "application/pdf")]
    response = client.post(
        reverse("workplan:deployment_report", args=[w.dep.pk]),
        {"year": w.year, "quarter": 1, "percent": 30, "content": "召开动员会", "evidence_title": "", "files": files},
    )
    assert response.status_code == 302, response.content.decode()
    report = ProgressReport.objects.get(deployment=w.dep)
    assert sorted(e.title for e in evidence.of(report)) == ["a.pdf", "b.pdf"]
    page = html(client, w.sec1, reverse("workplan:deployments"))
    assert "召开动员会" in page and "a.pdf" in page and "b.pdf" in page
    response = client.post(reverse("workplan:deployment_done", args=[w.dep.pk]), {"completed_on": timezone.localdate()})
    assert response.status_code == 302
    w.dep.refresh_from_db()
    assert w.dep.status == DeploymentStatus.DONE


def _grow(w, n: int) -> None:
    """n more items on the committee plan, each deployed to branch1 with two reports."""
    with context.acting(w.office):
        for i in range(n):
            item = services.save_item(
                w.office, w.plan.pk, {"title": f"事项{i}", "lines": [w.line], "projects": [w.task]}
            )
            dep = services.deploy(
                w.office,
                item.pk,
                {"organization": w.t.branch1, "responsible": w.a, "measure": "m", "deadline": date(w.year, 3, 1)},
            )
            for q in (1, 2):
                services.report_progress(w.sec1, dep.pk, {"percent": 10 * q, "content": "x", "quarter": q})


@pytest.mark.parametrize("who", ["office", "sec1"])
def test_lists_keep_their_query_count(client, w, who):
    user = getattr(w, who)
    services.report_progress(w.sec1, w.dep.pk, {"percent": 10, "content": "x"})
    client.force_login(user)
    urls = [reverse("workplan:deployments"), reverse("workplan:plans")]
    if who == "office":
        urls.append(reverse("workplan:plan_detail", args=[w.plan.pk]))
    counts = []
    for grow in (0, 2):
        _grow(w, grow)
        with CaptureQueriesContext(connection) as q:
            for url in urls:
                assert client.get(url).status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1]


def test_the_overdue_filter(client, w):
    _grow(w, 1)  # deadline 3-01: overdue by December
    services.mark_done(w.sec1, w.dep.pk, timezone.localdate())
    url = reverse("workplan:plan_detail", args=[w.plan.pk])
    page = html(client, w.office, url + "?status=overdue")
    assert "事项0" in page and "党建引领科研攻关" not in page
    page = html(client, w.office, url + "?status=done")
    assert "事项0" not in page and "党建引领科研攻关" in page
    page = html(client, w.office, url + f"?org={w.t.branch2.pk}")
    assert "事项0" not in page
    assert timezone.localdate() > date(w.year, 3, 1) + timedelta(days=0)
