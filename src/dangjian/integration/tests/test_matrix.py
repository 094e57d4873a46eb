"""The integration matrix (融合矩阵): what each column counts in a year, whose carriers a user counts, constant
queries, the page with its drill-down and gaps, and the .xlsx ledger."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.integration import active
from dangjian.integration.matrix import build, members_per_task
from dangjian.testing import main_content, make_member, make_tree, make_user

from . import carriers as f

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def world():
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", department=t.dept1)
    p1b = make_member(t.branch1, "甲二", department=t.dept1)
    p2 = make_member(t.branch2, "乙二", department=t.dept2)
    users = {
        "office": make_user("office", "office", t.root),
        "sec1": make_user("sec1", "secretary", t.branch1, person=p1),
        "sec2": make_user("sec2", "secretary", t.branch2, person=p2),
    }
    line, stages = f.line_with_stages(t.root)
    return t, (p1, p1b, p2), users, line, stages


def _row(m, row_id):
    return next(r for r in m.rows if r.id == row_id)


def test_each_column_counts_the_carriers_active_in_the_year(world):
    t, (p1, p1b, p2), users, line, stages = world
    office = users["office"]
    task = f.task(t.branch1, line=line, stage=stages[0])
    f.one_of_each(t.branch1, office, p1, project=task)
    # a team disbanded in the year and a post withdrawn in it still count for the year they ran
    f.taskforce(t.branch1, office, kind="tackling", project=task, status="disbanded")
    f.model_post(t.branch1, office, p1b, project=task, status="withdrawn", withdrawn_on=date(YEAR, 9, 1))
    # none of these counts: not approved, over before the year, after it, cancelled, link removed, deleted
    f.model_post(t.branch1, office, p1b, project=task, status="applied")
    f.model_post(t.branch1, office, p1b, project=task, status="withdrawn", withdrawn_on=date(YEAR - 1, 9, 1))
    f.zone(t.branch1, p1b, project=task, starts_on=date(2024, 1, 1), ends_on=date(YEAR - 1, 12, 31))
    f.taskforce(t.branch1, office, kind="commando", project=task, starts_on=date(YEAR + 1, 1, 1))
    f.pledge(t.branch1, p1b, project=task, status="submitted")
    f.activity_link(t.branch1, office, project=task, status="cancelled")
    f.activity_link(t.branch1, office, project=task, when=timezone.make_aware(timezone.datetime(YEAR - 1, 5, 1)))
    gone = f.contact_link(t.branch1, p1b, office, project=task)
    gone.removed_at = timezone.now()
    gone.save()
    deleted = f.joint(t.branch1, project=task)
    deleted.mark_deleted()
    deleted.save()
    # on the stage without a task
    f.zone(t.branch1, p1b, stage=stages[1])

    m = build(YEAR, office)
    row = _row(m, f"p{task.pk}")
    assert row.counts == {code: 1 for code in active.CODES} | {"tackling_team": 2, "model_post": 2}
    assert _row(m, f"s{stages[1].pk}").counts == {"responsibility_zone": 1}
    assert m.coverage == {"key_tasks": 1, "with_carrier": 1, "rate": 100.0}
    # the rows in the line's stage order: the task under the first stage, then the second stage's own carriers; the
    # first stage serves nothing as a whole, so it has no row of its own (an empty stage is not a gap)
    assert [r.id for r in m.rows] == [f"p{task.pk}", f"s{stages[1].pk}"]
    # people in the task's carriers: 甲一 in all, 甲二 as holder of the post withdrawn in the year
    assert members_per_task(YEAR, office, [task.pk]) == {task.pk: 2}
    assert build(YEAR - 1, office).coverage["key_tasks"] == 0


def test_key_tasks_of_the_year_and_gaps(world):
    t, (p1, p1b, p2), users, line, stages = world
    covered = f.task(t.branch1, line=line, stage=stages[0])
    gap = f.task(t.branch2, line=line)
    f.task(t.branch1, line=line, key=False)  # not a key task
    f.task(t.branch1, line=line, starts_on=date(2020, 1, 1), ends_on=date(YEAR - 1, 6, 30))  # over
    f.zone(t.branch1, p1, project=covered)
    m = build(YEAR, users["office"])
    assert [r.id for r in m.gaps] == [f"p{gap.pk}"]
    assert m.coverage == {"key_tasks": 2, "with_carrier": 1, "rate": 50.0}


def test_a_secretary_counts_only_their_own_branch_carriers(world):
    t, (p1, p1b, p2), users, line, stages = world
    office = users["office"]
    shared = f.task(t.root, line=line, stage=stages[0], joined=[t.branch1, t.branch2])
    f.one_of_each(t.branch1, office, p1, project=shared)
    f.one_of_each(t.branch2, office, p2, project=shared)
    own2 = f.task(t.branch2, line=line)
    f.zone(t.branch2, p2, project=own2)

    assert _row(build(YEAR, office), f"p{shared.pk}").counts == {code: 2 for code in active.CODES}
    m1 = build(YEAR, users["sec1"])
    assert _row(m1, f"p{shared.pk}").counts == {code: 1 for code in active.CODES}
    assert f"p{own2.pk}" not in {r.id for r in m1.rows}  # branch2's task is not in branch1's sight
    assert members_per_task(YEAR, users["sec1"], [shared.pk]) == {shared.pk: 1}
    m2 = build(YEAR, users["sec2"])
    assert _row(m2, f"p{own2.pk}").counts == {"responsibility_zone": 1}


def test_a_task_outside_sight_shows_when_it_carries_a_carrier_one_sees(world):
    t, (p1, p1b, p2), users, line, stages = world
    committee_task = f.task(t.root, line=line)  # the committee's: not in branch1's scope
    f.zone(t.branch1, p1, project=committee_task)
    rows = {r.id: r for r in build(YEAR, users["sec1"]).rows}
    assert rows[f"p{committee_task.pk}"].counts == {"responsibility_zone": 1}


def _populate(t, users, people, line, stages, n: int):
    for i in range(n):
        task = f.task(t.branch1, line=line, stage=stages[i % 2])
        person = people[i]
        f.one_of_each(t.branch1, users["office"], person, project=task)
        f.zone(t.branch1, person, stage=stages[0])


def test_the_matrix_takes_the_same_queries_for_1_or_5_tasks(world, client):
    t, (p1, p1b, p2), users, line, stages = world
    extra = [make_member(t.branch1) for _ in range(6)]
    _populate(t, users, extra[:1], line, stages, 1)
    client.force_login(users["office"])
    url = reverse("integration:matrix") + f"?year={YEAR}"
    client.get(url)
    build(YEAR, users["office"])  # the user's scope, read once and kept on the user
    with CaptureQueriesContext(connection) as one:
        build(YEAR, users["office"])
    with CaptureQueriesContext(connection) as one_page:
        assert client.get(url).status_code == 200
    _populate(t, users, extra[1:], line, stages, 5)
    with CaptureQueriesContext(connection) as six:
        m = build(YEAR, users["office"])
    with CaptureQueriesContext(connection) as six_page:
        assert client.get(url).status_code == 200
    assert m.coverage["key_tasks"] == 6
    assert len(one) == len(six) <= 12
    assert len(one_page) == len(six_page)


def test_the_page_shows_the_heat_map_the_gaps_and_drills_down(world, client):
    t, (p1, p1b, p2), users, line, stages = world
    task = f.task(t.branch1, line=line, stage=stages[0], name="高精度校准装置研制")
    gap = f.task(t.branch1, line=line, stage=stages[1], name="空白任务甲")
    f.one_of_each(t.branch1, users["office"], p1, project=task)
    team = f.taskforce(t.branch1, users["office"], kind="commando", project=task, people=[p1b])
    client.force_login(users["office"])
    html = main_content(client.get(reverse("integration:matrix") + f"?year={YEAR}").content.decode())
    assert "高精度校准装置研制" in html
    assert f'id="row-p{gap.pk}" class="gap gap-office"' in html
    assert 'class="heat heat-2" data-column="commando_team"' in html
    cell = reverse("integration:matrix_cell") + f"?year={YEAR}&row=p{task.pk}&column=commando_team"
    assert f'href="{cell}"'.replace("&", "&amp;") in html
    drill = main_content(client.get(cell).content.decode())
    assert team.name in drill and "甲二" in drill
    assert client.get(reverse("integration:matrix_cell") + f"?year={YEAR}&row=x1&column=pledge").status_code == 404
    assert client.get(reverse("integration:matrix_cell") + f"?year={YEAR}&column=nothing").status_code == 404
    # filtered by another line: the rows of that line only
    other, _stages = f.line_with_stages(t.root, "检测认证与技术服务", ("受理",))
    html = main_content(client.get(reverse("integration:matrix") + f"?year={YEAR}&line={other.pk}").content.decode())
    assert "高精度校准装置研制" not in html and "本年度还没有重点任务和业务流程环节" in html


def test_the_drill_down_pages_and_hides_other_branches(world, client):
    t, (p1, p1b, p2), users, line, stages = world
    task = f.task(t.root, line=line, joined=[t.branch1, t.branch2])
    for _ in range(3):
        f.zone(t.branch1, p1, project=task)
    f.zone(t.branch2, p2, project=task)
    client.force_login(users["sec1"])
    cell = reverse("integration:matrix_cell") + f"?year={YEAR}&row=p{task.pk}&column=responsibility_zone"
    html = main_content(client.get(cell).content.decode())
    assert html.count("甲一") == 3 and "乙二" not in html


def test_the_export_is_a_landscape_ledger(world, client):
    t, (p1, p1b, p2), users, line, stages = world
    task = f.task(t.branch1, line=line, stage=stages[0], name="重点任务甲")
    f.one_of_each(t.branch1, users["office"], p1, project=task)
    client.force_login(users["office"])
    response = client.get(reverse("integration:matrix_export") + f"?year={YEAR}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "2026年党建与业务融合矩阵"
    header = [c.value for c in ws[2]]
    assert header[:5] == ["序号", "主业", "业务流程环节", "任务编号", "重点任务"]
    assert header[5] == "党员示范岗" and header[-2:] == ["合计", "参与人数"]
    rows = {r[4]: r for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}
    assert rows["重点任务甲"][5:13] == (1,) * 8 and rows["重点任务甲"][13:] == (8, 1)
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.column_dimensions["D"].width >= 17  # a 任务编号 like XH-2026-JLJZ-004 is not cut off


def test_a_cell_of_a_task_out_of_sight_is_not_found(world, client):
    t, (p1, p1b, p2), users, line, stages = world
    other = f.task(t.branch2, line=line, name="二支部的任务")
    f.zone(t.branch2, p2, project=other)
    client.force_login(users["sec1"])
    cell = reverse("integration:matrix_cell") + f"?year={YEAR}&row=p{other.pk}&column=responsibility_zone"
    assert client.get(cell).status_code == 404
    client.force_login(users["sec2"])
    assert "二支部的任务" in main_content(client.get(cell).content.decode())
