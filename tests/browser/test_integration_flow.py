"""Party work inside the business (issue 15 §7), as the people do it: the committee office links an item of the
year's work plan to a key task and deploys it to a branch (四落实); the branch secretary reports the quarter's
progress with an evidence file, which then shows on the deployment; the office forms a 党员突击队 on the key task
and finds it in the integration matrix, in the task's row under the commando column, and in the cell's drill-down.
On a phone the matrix and the section page keep the page body within the screen (the table scrolls in its box)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from dangjian.core import context
from dangjian.integration.models import BusinessLine, Project, Taskforce
from dangjian.testing import PASSWORD, Tree, make_member, make_tree, make_user
from dangjian.workplan import services
from dangjian.workplan.models import Deployment, PlanItem, ProgressReport

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    t: Tree
    secretary: object
    task: Project
    other: Project
    item: PlanItem
    year: int


@pytest.fixture
def world() -> World:
    t = make_tree()
    secretary = make_member(t.branch1, "林书记", department=t.dept1)
    make_member(t.branch1, "周研究员", department=t.dept1)
    office = make_user("office", "office", t.root)
    make_user("sec1", "secretary", t.branch1, person=secretary)
    year = timezone.localdate().year
    line = BusinessLine.objects.create(organization=t.root, code="L1", name="计量校准服务")
    task = Project.objects.create(
        code="P1", name="高精度校准装置研制", line=line, organization=t.branch1, starts_on=date(year, 1, 1)
    )
    other = Project.objects.create(
        code="P2", name="远程校准平台建设", line=line, organization=t.branch2, starts_on=date(year, 1, 1)
    )
    with context.acting(office):
        plan = services.create_plan(office, t.root, year)
        item = services.save_item(office, plan.pk, {"category": "融合发展", "title": "党建引领科研攻关"})
        services.publish_plan(office, plan.pk, f"所党发〔{year}〕1号", date(year, 1, 1))
    return World(t, secretary, task, other, item, year)


def _save(page) -> None:
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_plan_item_to_key_task_deployed_reported_and_a_commando_team_in_the_matrix(
    page, live_server, world, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    base, w = live_server.url, world

    # (a) the office links the plan item to the key task (同谋划) and deploys it to branch1 (同部署)
    login(page, base, "office", PASSWORD)
    page.goto(f"{base}/work-plan/{w.item.plan_id}/")
    card = page.locator(f"#item-{w.item.pk}")
    assert "尚未部署" in card.inner_text()
    card.locator("a", has_text="修改").click()
    page.wait_for_load_state()
    page.select_option("#id_projects", value=str(w.task.pk))
    _save(page)
    assert "工作事项已保存" in page.content()
    card = page.locator(f"#item-{w.item.pk}")
    assert "高精度校准装置研制" in card.inner_text() and "远程校准平台建设" not in card.inner_text()
    assert list(w.item.projects.values_list("pk", flat=True)) == [w.task.pk]

    card.locator("a", has_text="部署").click()
    page.wait_for_load_state()
    page.select_option("#id_organization", value=str(w.t.branch1.pk))
    page.select_option("#id_responsible", value=str(w.secretary.pk))
    page.fill("#id_measure", "组建党员突击队，攻克关键技术")
    page.fill("#id_deadline", f"{w.year}-12-31")
    _save(page)
    assert "已部署" in page.content()
    row = page.locator(f"#item-{w.item.pk} table.deployments tbody tr")
    assert row.count() == 1
    assert "林书记" in row.inner_text() and f"{w.year}-12-31" in row.inner_text() and "未报告" in row.inner_text()
    dep = Deployment.objects.get(item=w.item)
    assert dep.organization_id == w.t.branch1.pk and dep.responsible_id == w.secretary.pk

    # (b) the branch secretary reports progress with an evidence file (同推进), and the evidence shows
    page.context.clear_cookies()
    login(page, base, "sec1", PASSWORD)
    page.goto(f"{base}/work-plan/deployments/?year={w.year}")
    mine = page.locator("#deployments tbody tr", has_text="党建引领科研攻关")
    assert mine.count() == 1
    mine.locator("a", has_text="报告进展").click()
    page.wait_for_load_state()
    page.select_option("#id_quarter", value="2")
    page.fill("#id_percent", "40")
    page.fill("#id_content", "突击队完成样机装调，关键指标达到设计要求。")
    page.fill("#id_evidence_title", "样机装调记录")
    evidence = tmp_path / "装调记录.pdf"
    evidence.write_bytes(PDF)
    page.set_input_files("#id_files", str(evidence))
    _save(page)
    assert "推进情况已报告" in page.content()
    mine = page.locator("#deployments tbody tr", has_text="党建引领科研攻关")
    text = mine.inner_text()
    assert f"{w.year}Q2" in text and "40%" in text and "样机装调" in text
    link = mine.locator("a", has_text="样机装调记录")
    assert link.count() == 1
    download = page.request.get(base + link.get_attribute("href"))
    assert download.ok and download.body().startswith(b"%PDF-1.4")
    assert ProgressReport.objects.filter(deployment=dep, percent=40).count() == 1

    # the office sees the same progress and its evidence on the plan
    page.context.clear_cookies()
    login(page, base, "office", PASSWORD)
    page.goto(f"{base}/work-plan/{w.item.plan_id}/")
    assert "样机装调记录" in page.locator(f"#item-{w.item.pk}").inner_text()

    # (c) the office forms a commando team on the key task …
    page.goto(f"{base}/integration/matrix/?year={w.year}")
    commando = page.locator(f"#row-p{w.task.pk} td[data-column=commando_team]")
    assert commando.inner_text().strip() == "0"
    assert "高精度校准装置研制" in page.locator("#gaps").inner_text()

    page.goto(f"{base}/integration/taskforces/new/")
    page.select_option("#id_organization", value=str(w.t.branch1.pk))
    page.select_option("#id_project", value=str(w.task.pk))
    page.select_option("#id_kind", value="commando")
    page.fill("#id_name", "高精度校准装置党员突击队")
    page.fill("#id_mission", "攻克装置稳定性难题，年底前完成样机验收。")
    page.fill("#id_starts_on", f"{w.year}-01-15")
    _save(page)
    assert "队伍已组建" in page.content()
    team = Taskforce.objects.get()
    assert team.project_id == w.task.pk and team.kind == "commando"

    # … and it appears in the matrix cell of the task's row under the commando column
    page.goto(f"{base}/integration/matrix/?year={w.year}")
    commando = page.locator(f"#row-p{w.task.pk} td[data-column=commando_team]")
    assert commando.inner_text().strip() == "1"
    assert page.locator(f"#row-p{w.task.pk} td[data-column=tackling_team]").inner_text().strip() == "0"
    assert page.locator(f"#row-p{w.other.pk} td[data-column=commando_team]").inner_text().strip() == "0"
    assert "高精度校准装置研制" not in page.locator("#gaps").inner_text()
    commando.locator("a").click()
    page.wait_for_load_state()
    assert "高精度校准装置研制" in page.locator("h1").inner_text() and "党员突击队" in page.locator("h1").inner_text()
    carriers = page.locator("#carriers tbody tr")
    assert carriers.count() == 1 and "高精度校准装置党员突击队" in carriers.inner_text()
    carriers.locator("a", has_text="高精度校准装置党员突击队").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/integration/taskforces/{team.pk}/")
    assert "攻克装置稳定性难题" in page.content()


def test_the_matrix_and_the_section_page_on_a_phone(phone, live_server, world):
    base, w = live_server.url, world
    office = make_user("office2", "office", w.t.root)
    with context.acting(office):
        from dangjian.integration import taskforces

        taskforces.form_team(
            office,
            {
                "organization": w.t.branch1,
                "project": w.task,
                "kind": "commando",
                "name": "高精度校准装置党员突击队",
                "mission": "攻克装置稳定性难题",
                "starts_on": date(w.year, 1, 15),
            },
        )
    login(phone, base, "office2", PASSWORD)
    for url in (f"{base}/integration/", f"{base}/integration/matrix/?year={w.year}"):
        phone.goto(url)
        assert phone.locator("h1").first.is_visible()
        # the page body stays within the screen; a wide table scrolls inside its box
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, url
    table = phone.locator("#matrix")
    wrapper = phone.locator(".table-wrap", has=table)
    assert wrapper.evaluate("e => e.scrollWidth > e.clientWidth")  # the 11-column heat map scrolls in its box
    assert wrapper.evaluate("e => getComputedStyle(e).overflowX") in ("auto", "scroll")
    cell = phone.locator(f"#row-p{w.task.pk} td[data-column=commando_team] a")
    cell.scroll_into_view_if_needed()
    cell.click()
    phone.wait_for_load_state()
    assert "高精度校准装置党员突击队" in phone.locator("#carriers").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
