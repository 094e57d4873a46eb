"""党员突击队/攻关团队: formed by the committee office for a key task, roster kept by the running organisation,
progress reports, disbanding with a summary, the formation notice and the temporary-branch warning."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from dangjian.audit.models import AuditEvent
from dangjian.integration import taskforces
from dangjian.integration.models import Project, Taskforce, TaskforceMember
from dangjian.testing import make_member, make_person

from .team_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build()


def _form(w, **extra) -> Taskforce:
    data = {
        "organization": w.t.branch1,
        "project": w.project,
        "kind": "commando",
        "name": "电学计量突击队",
        "mission": "按期完成标准装置研制",
        "notice_no": "测党发〔2025〕12号",
        "starts_on": date(2025, 1, 10),
        "ends_on": None,
        **extra,
    }
    return taskforces.form_team(w.office, data)


def test_office_forms_a_team_for_a_key_task_and_it_is_audited(w):
    team = _form(w)
    assert team.status == "active" and team.project == w.project and team.created_by == w.office
    assert AuditEvent.objects.filter(object_id=str(team.pk), action="create").exists()


def test_a_secretary_cannot_form_a_team(w):
    with pytest.raises(Http404):
        taskforces.form_team(
            w.sec1,
            {
                "organization": w.t.branch1,
                "project": w.project,
                "kind": "commando",
                "name": "x",
                "mission": "y",
                "starts_on": date(2025, 1, 10),
            },
        )


def test_a_team_needs_a_key_task_and_a_mission(w):
    with pytest.raises(ValidationError) as exc:
        _form(w, project=None)
    assert exc.value.message_dict["project"] == ["请选择队伍承担的重点任务"]
    with pytest.raises(ValidationError) as exc:
        _form(w, mission="  ")
    assert exc.value.message_dict["mission"] == ["请填写任务目标"]


def test_a_key_task_outside_the_office_scope_is_refused(w):
    from dangjian.testing import make_user

    office_b1 = make_user("office_b1", "office", w.t.branch1)
    other = Project.objects.create(code="K-2", name="外部任务", organization=w.t.branch2, starts_on=date(2025, 1, 1))
    data = {
        "organization": w.t.branch1,
        "project": other,
        "kind": "tackling",
        "name": "攻关团队",
        "mission": "攻关",
        "starts_on": date(2025, 1, 10),
    }
    with pytest.raises(ValidationError) as exc:
        taskforces.form_team(office_b1, data)
    assert exc.value.message_dict["project"] == ["该重点任务不在您的管理范围内"]


def test_roster_takes_members_activists_and_staff_with_one_captain(w):
    team = _form(w)
    staff = make_person("丁四", department=w.t.dept1)
    taskforces.add_member(w.sec1, team.pk, {"person": w.p1, "role": "captain", "joined_on": date(2025, 1, 10)})
    taskforces.add_member(w.sec1, team.pk, {"person": staff, "role": "member", "joined_on": date(2025, 2, 1)})
    second = make_member(w.t.branch1, "丙三", department=w.t.dept1)
    with pytest.raises(ValidationError) as exc:
        taskforces.add_member(w.sec1, team.pk, {"person": second, "role": "captain", "joined_on": None})
    assert exc.value.message_dict["role"] == ["该队伍已有队长，请先办理原队长离队"]
    with pytest.raises(ValidationError) as exc:
        taskforces.add_member(w.sec1, team.pk, {"person": staff, "role": "member", "joined_on": None})
    assert exc.value.message_dict["person"] == ["该人员已在队伍名单中"]
    with pytest.raises(ValidationError) as exc:
        taskforces.add_member(w.sec1, team.pk, {"person": w.p2, "role": "member", "joined_on": None})
    assert exc.value.message_dict["person"] == ["该人员不在您的管理范围内"]


def test_leaving_keeps_the_entry_with_its_date(w):
    team = _form(w)
    place = taskforces.add_member(w.sec1, team.pk, {"person": w.p1, "role": "captain", "joined_on": None})
    with pytest.raises(ValidationError) as exc:
        taskforces.leave(w.sec1, place.pk, date(2024, 12, 31))
    assert exc.value.message_dict["left_on"] == ["离队日期不能早于加入日期"]
    taskforces.leave(w.sec1, place.pk, date(2025, 5, 1))
    place.refresh_from_db()
    assert place.left_on == date(2025, 5, 1)
    assert TaskforceMember.objects.filter(taskforce=team).count() == 1
    # back on the roster later: a new entry, the old one kept
    taskforces.add_member(w.sec1, team.pk, {"person": w.p1, "role": "member", "joined_on": date(2025, 6, 1)})
    assert TaskforceMember.objects.filter(taskforce=team, person=w.p1).count() == 2


def test_flag_and_disband_are_the_office_acts(w):
    team = _form(w)
    with pytest.raises(Http404):
        taskforces.present_flag(w.sec1, team.pk, date(2025, 1, 20))
    taskforces.present_flag(w.office, team.pk, date(2025, 1, 20))
    with pytest.raises(ValidationError) as exc:
        taskforces.present_flag(w.office, team.pk, date(2025, 1, 21))
    assert exc.value.messages == ["该队伍已于2025-01-20授旗"]
    taskforces.add_member(w.sec1, team.pk, {"person": w.p1, "role": "captain", "joined_on": None})
    with pytest.raises(ValidationError) as exc:
        taskforces.disband(w.office, team.pk, date(2025, 12, 1), " ")
    assert exc.value.message_dict["summary"] == ["解散队伍须填写工作总结"]
    taskforces.disband(w.office, team.pk, date(2025, 12, 1), "装置通过验收")
    team.refresh_from_db()
    assert (team.status, team.ends_on, team.summary) == ("disbanded", date(2025, 12, 1), "装置通过验收")
    assert TaskforceMember.objects.get(taskforce=team).left_on == date(2025, 12, 1)
    with pytest.raises(ValidationError) as exc:
        taskforces.add_member(w.sec1, team.pk, {"person": w.p2, "role": "member", "joined_on": None})
    assert exc.value.messages == ["该队伍已解散，不能再修改"]


def test_a_report_names_only_a_committee_meeting_in_scope(w):
    from datetime import datetime

    from django.utils import timezone

    from dangjian.testing import held_meeting

    team = _form(w)
    when = timezone.make_aware(datetime(2025, 3, 1, 9))
    branch_meeting = held_meeting(w.sec1, w.t.branch1, "other", when)
    committee_meeting = held_meeting(w.office, w.t.root, "other", when)
    data = {"reported_on": date(2025, 3, 1), "content": "完成方案评审", "meeting": branch_meeting}
    with pytest.raises(ValidationError) as exc:
        taskforces.add_report(w.sec1, team.pk, data)
    assert exc.value.message_dict["meeting"] == ["只能选择您管理范围内党委的会议"]
    report = taskforces.add_report(w.office, team.pk, {**data, "meeting": committee_meeting})
    assert report.meeting == committee_meeting and report.reported_by == w.office


def test_a_report_carries_its_evidence(w, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.integration import evidence

    settings.MEDIA_ROOT = tmp_path
    team = _form(w)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    report = taskforces.add_report(
        w.sec1,
        team.pk,
        {"reported_on": date(2025, 3, 1), "content": "进展", "meeting": None},
        upload=SimpleUploadedFile("a.png", png),
        title="现场照片",
    )
    assert [e.title for e in evidence.of(report)] == ["现场照片"]


def test_the_formation_notice_reopens_with_the_roster(w, client):
    team = _form(w)
    taskforces.add_member(w.sec1, team.pk, {"person": w.p1, "role": "captain", "joined_on": None})
    client.force_login(w.sec1)
    response = client.get(reverse("integration:taskforce_notice", args=[team.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "关于组建电学计量突击队的通知" in text
    assert "测党发〔2025〕12号" in text
    assert "高精度电学计量标准研制" in text
    assert "中共测试所党委" in text
    cells = [c.text for c in doc.tables[0].rows[1].cells]
    assert cells[:3] == ["1", "甲一", "队长"]
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    # GB/T 9704 §7.2: the 版头 (red mark, 文号, red line) above the title, not the 文号 under it
    mark, number, title = (p.text for p in doc.paragraphs[:3])
    assert (mark, number, title) == ("中共测试所党委文件", "测党发〔2025〕12号", "关于组建电学计量突击队的通知")
    assert "“电学计量突击队”，由" in text  # the name says it is a 突击队: no （党员突击队） after it


def test_a_notice_without_roster_or_number_is_still_a_notice(w):
    from dangjian.integration import taskforce_notice

    team = _form(w, notice_no="", name="电学计量攻坚组")
    doc = Document(io.BytesIO(taskforce_notice.build(team)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "关于组建电学计量攻坚组的通知"  # no 文号, no letterhead
    assert "“电学计量攻坚组”（党员突击队）" in text
    assert "队员名单另行通知。" in text and not doc.tables
    assert "三、队伍组成" in text and "中共测试所党委" in text


def _three_full_members(w, team):
    for name in ("甲一", "丙三", "丁四"):
        person = w.p1 if name == "甲一" else make_member(w.t.branch1, name, department=w.t.dept1)
        taskforces.add_member(w.sec1, team.pk, {"person": person, "role": "member", "joined_on": None})


def test_temporary_branch_warning_for_three_full_members_over_six_months(w, client):
    team = _form(w)  # 2025-01-10 to the key task's 2026-06-30
    _three_full_members(w, team)
    client.force_login(w.sec1)
    html = client.get(reverse("integration:taskforce_detail", args=[team.pk])).content.decode()
    assert 'id="temp-branch-warning"' in html
    assert "应当按规定成立临时党支部" in html
    # the regulation quoted in its own words (支部工作条例 第五条)
    assert "为期6个月以上的工程、工作项目等，符合条件的，应当成立党支部" in html
    assert "支部工作条例" in html


def test_no_temporary_branch_warning_under_six_months_or_three_members(w):
    team = _form(w, ends_on=date(2025, 7, 9))  # one day short of six months
    _three_full_members(w, team)
    roster = list(TaskforceMember.objects.filter(taskforce=team).select_related("person"))
    assert taskforces.temp_branch(team, roster).required is False
    team.ends_on = date(2025, 7, 10)  # six months to the day (民法典 第202条)
    assert taskforces.temp_branch(team, roster).required is True
    # a probationary member is not a full member
    probationary = [m for m in roster if m.person_id != w.p1.pk][0].person
    probationary.political_status = "probationary"
    assert taskforces.temp_branch(team, roster).required is False


def test_pages_of_another_branch_team_are_404(w, client):
    team = _form(w)
    place = taskforces.add_member(w.sec1, team.pk, {"person": w.p1, "role": "captain", "joined_on": None})
    client.force_login(w.sec2)
    for name, pk in (
        ("taskforce_detail", team.pk),
        ("taskforce_notice", team.pk),
        ("taskforce_member_add", team.pk),
        ("taskforce_report", team.pk),
        ("taskforce_member_leave", place.pk),
    ):
        assert client.get(reverse(f"integration:{name}", args=[pk])).status_code == 404, name
    client.force_login(w.sec1)
    for name in ("taskforce_edit", "taskforce_flag", "taskforce_disband"):  # the office's acts
        assert client.get(reverse(f"integration:{name}", args=[team.pk])).status_code == 404, name


def test_pages_forms_flow(w, client):
    client.force_login(w.office)
    response = client.post(
        reverse("integration:taskforce_create"),
        {
            "organization": w.t.branch1.pk,
            "project": w.project.pk,
            "kind": "tackling",
            "name": "计量攻关团队",
            "mission": "攻克溯源难题",
            "notice_no": "",
            "starts_on": "2025-02-01",
            "ends_on": "",
        },
    )
    team = Taskforce.objects.get(name="计量攻关团队")
    assert response.status_code == 302 and response["Location"] == reverse(
        "integration:taskforce_detail", args=[team.pk]
    )
    response = client.post(reverse("integration:taskforce_disband", args=[team.pk]), {"ends_on": "2025-03-01"})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    team.refresh_from_db()
    assert team.status == "active"
    client.force_login(w.sec1)
    response = client.post(
        reverse("integration:taskforce_member_add", args=[team.pk]),
        {"person": w.p1.pk, "role": "captain", "joined_on": "2025-02-01"},
    )
    assert response.status_code == 302
    html = client.get(reverse("integration:taskforce_detail", args=[team.pk])).content.decode()
    assert "甲一" in html and "队长" in html


def _team_with(w, n: int) -> Taskforce:
    team = _form(w, name=f"突击队{n}")
    for i in range(n):
        person = make_member(w.t.branch1, f"队员{n}{i}", department=w.t.dept1)
        taskforces.add_member(w.sec1, team.pk, {"person": person, "role": "member", "joined_on": None})
        taskforces.add_report(w.sec1, team.pk, {"reported_on": date(2025, 3, 1 + i), "content": "进展"})
    return team


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_detail_queries_do_not_grow(w, client):
    small, large = _team_with(w, 1), _team_with(w, 3)
    client.force_login(w.sec1)
    detail = "integration:taskforce_detail"
    _queries(client, reverse(detail, args=[small.pk]))  # warm the per-process caches (content types, session)
    assert _queries(client, reverse(detail, args=[small.pk])) == _queries(client, reverse(detail, args=[large.pk]))
    before = _queries(client, reverse("integration:taskforce_list"))
    _team_with(w, 2)
    assert _queries(client, reverse("integration:taskforce_list")) == before


def test_office_edits_the_team_but_not_its_task(w, client):
    team = _form(w)
    client.force_login(w.office)
    url = reverse("integration:taskforce_edit", args=[team.pk])
    data = {"name": "电学计量突击队（第二批）", "mission": "完成装置定型", "notice_no": "", "ends_on": "2024-01-01"}
    response = client.post(url, data)
    assert "结束日期不能早于组建日期" in response.content.decode()
    response = client.post(url, {**data, "ends_on": "2025-12-31"})
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.name, team.ends_on, team.project) == ("电学计量突击队（第二批）", date(2025, 12, 31), w.project)
