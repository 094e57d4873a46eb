from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.integration import business as services
from dangjian.integration.models import Milestone, Project
from dangjian.sheets.testing import list_rows
from dangjian.testing import main_content

from .business_world import make_world, project_data
from .test_business_sheets import row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return make_world()


def test_line_list_shows_lines_and_stages_in_order(client, w):
    client.force_login(w.sec1)
    html = main_content(client.get(reverse("integration:line_list")).content.decode())
    assert html.index("测试仪器研制") < html.index("计量校准服务")
    assert html.index("方案") < html.index("实施")
    assert reverse("integration:line_edit", args=[w.line.pk]) not in html  # the office's


def test_office_creates_line_and_stage_through_the_pages(client, w):
    client.force_login(w.office)
    r = client.post(
        reverse("integration:line_create"),
        {"organization": w.t.root.pk, "code": "L3", "name": "计量标准与装置", "order": 3},
    )
    assert r.status_code == 302
    from dangjian.integration.models import BusinessLine

    line = BusinessLine.objects.get(code="L3")
    r = client.post(reverse("integration:stage_create", args=[line.pk]), {"name": "需求受理", "order": 1})
    assert r.status_code == 302 and line.stages.get().name == "需求受理"
    assert client.get(reverse("integration:stage_edit", args=[line.stages.get().pk])).status_code == 200


def test_secretary_cannot_open_office_pages(client, w):
    client.force_login(w.sec1)
    for url in (
        reverse("integration:line_create"),
        reverse("integration:line_edit", args=[w.line.pk]),
        reverse("integration:project_create"),
        reverse("integration:project_edit", args=[w.project.pk]),
        reverse("integration:project_delete", args=[w.project.pk]),
        reverse("integration:project_import"),
    ):
        assert client.get(url).status_code == 404, url


def test_project_list_search_filters_and_empty_state(client, w):
    services.save_project(w.office, project_data(w, code="SC-9", name="生产线改造", key=False, kind="production"))
    client.force_login(w.office)
    url = reverse("integration:project_list")
    html = main_content(client.get(url, {"q": "甲一"}).content.decode())
    assert "高精度装置研制" in html and "生产线改造" not in html
    html = main_content(client.get(url, {"key": "on"}).content.decode())
    assert "高精度装置研制" in html and "生产线改造" not in html
    html = main_content(client.get(url, {"kind": "production", "year": 2026}).content.decode())
    assert "生产线改造" in html and "高精度装置研制" not in html
    html = main_content(client.get(url, {"year": 2030, "status": "done"}).content.decode())
    assert "没有符合条件的任务" in html


def test_secretary_and_member_see_only_their_projects(client, w):
    client.force_login(w.sec2)
    html = main_content(client.get(reverse("integration:project_list")).content.decode())
    assert "高精度装置研制" not in html and "暂无重点任务" in html
    assert client.get(reverse("integration:project_detail", args=[w.project.pk])).status_code == 404
    client.force_login(w.member)
    assert client.get(reverse("integration:project_detail", args=[w.project.pk])).status_code == 404
    services.add_person(w.sec1, w.project.pk, w.p3)
    r = client.get(reverse("integration:project_detail", args=[w.project.pk]))
    assert r.status_code == 200
    assert reverse("integration:milestone_add", args=[w.project.pk]) not in r.content.decode()


def test_export_reopens_with_the_filtered_rows(client, w):
    services.save_project(w.office, project_data(w, code="SC-9", name="生产线改造", kind="production"))
    client.force_login(w.office)
    r = client.get(reverse("integration:project_export"), {"kind": "production"})
    assert r["Content-Disposition"].endswith('.xlsx"') or "xlsx" in r["Content-Disposition"]
    rows = list_rows(r.content)
    assert [x[0] for x in rows[1:]] == ["SC-9"]
    ws = load_workbook(BytesIO(r.content)).active
    assert ws.page_setup.orientation == "landscape"
    today = timezone.localdate()
    assert ws["A1"].value == f"重点任务台账（{today.year}年{today.month}月{today.day}日）"  # not 2026-12-06


def test_project_detail_for_secretary_adds_milestone_people_and_marks_done(client, w):
    client.force_login(w.sec1)
    url = reverse("integration:project_detail", args=[w.project.pk])
    html = main_content(client.get(url).content.decode())
    assert "高精度装置研制" in html and "尚未设置任务节点" in html and "党员示范岗" in html
    r = client.post(reverse("integration:milestone_add", args=[w.project.pk]), {"name": "样机", "due_on": "2026-06-01"})
    assert r.status_code == 302
    m = Milestone.objects.get(project=w.project)
    client.post(reverse("integration:milestone_done", args=[m.pk]))
    m.refresh_from_db()
    assert m.done_on is not None
    client.post(reverse("integration:project_add_person", args=[w.project.pk]), {"person": w.p3.id_number})
    assert list(w.project.people.all()) == [w.p3]
    r = client.post(reverse("integration:project_add_person", args=[w.project.pk]), {"person": w.p2.id_number})
    assert "您管理范围内没有该公民身份号码或工号的人员" in client.get(url).content.decode()
    client.post(reverse("integration:project_remove_person", args=[w.project.pk, w.p3.pk]))
    assert not w.project.people.exists()
    assert client.get(reverse("integration:milestone_done", args=[m.pk])).status_code == 405


def test_office_creates_edits_and_deletes_a_project(client, w):
    client.force_login(w.office)
    data = {
        "code": "NEW-1",
        "name": "重大专项",
        "kind": "mission",
        "key": "on",
        "line": w.line.pk,
        "stage": w.stage.pk,
        "organization": w.t.branch2.pk,
        "status": "active",
        "starts_on": "2026-01-01",
    }
    r = client.post(reverse("integration:project_create"), data)
    p = Project.objects.get(code="NEW-1")
    assert r.status_code == 302 and r["Location"] == reverse("integration:project_detail", args=[p.pk])
    r = client.post(reverse("integration:project_edit", args=[p.pk]), {**data, "ends_on": "2025-01-01"})
    assert r.status_code == 200 and "计划完成日期不能早于开始日期" in r.content.decode()
    r = client.post(reverse("integration:project_delete", args=[p.pk]), {"reason": ""})
    assert r.status_code == 200 and Project.objects.filter(pk=p.pk).exists()
    r = client.post(reverse("integration:project_delete", args=[p.pk]), {"reason": "重复"})
    assert r.status_code == 302 and not Project.objects.filter(pk=p.pk).exists()


def test_import_page_reports_bad_rows_and_imports_good_file(client, w):
    client.force_login(w.office)
    assert client.get(reverse("integration:project_template")).status_code == 200
    bad = SimpleUploadedFile("t.xlsx", xlsx([row(), row(任务编号="SC-2", 类别="杂项")]))
    html = client.post(reverse("integration:project_import"), {"file": bad}).content.decode()
    assert "导入未通过" in html and "类别" in html and not Project.objects.filter(code="SC-001").exists()
    good = SimpleUploadedFile("t.xlsx", xlsx([row(), row(任务编号="KY-001")]))
    html = client.post(reverse("integration:project_import"), {"file": good}).content.decode()
    assert "导入完成" in html and "KY-001" in html
    assert Project.objects.filter(code="SC-001").exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_detail_queries_do_not_grow_with_rows(client, w):
    client.force_login(w.office)
    url = reverse("integration:project_list")
    one = _queries(client, url)
    for i in range(4):
        p = services.save_project(w.office, project_data(w, code=f"Q-{i}", leader=w.p1, stage=w.stage))
        services.add_organization(w.office, p.pk, w.t.branch2)
    assert Project.objects.count() == 5
    assert _queries(client, url) == one
    assert _queries(client, reverse("integration:line_list")) == _queries(client, reverse("integration:line_list"))
    detail = reverse("integration:project_detail", args=[w.project.pk])
    before = _queries(client, detail)
    for i in range(3):
        services.add_milestone(w.office, w.project.pk, {"name": f"n{i}", "due_on": date(2026, 3, i + 1)})
        services.add_person(w.office, w.project.pk, services.Person.objects.all()[i])
    assert _queries(client, detail) == before
