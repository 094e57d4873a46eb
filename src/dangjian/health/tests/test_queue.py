"""The follow-up queue: health officers only, their scope only, ordered by CVD risk with cancer flags beside."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.health import forms, queue
from dangjian.health.models import Checkup, FollowUp, ScreeningRun
from dangjian.sheets.testing import INJECTION, assert_written_as_text, list_rows
from dangjian.testing import make_member

from .results import YEAR, make_result

pytestmark = pytest.mark.django_db
URL = reverse("health:queue")


def names(html: str, *candidates: str) -> list[str]:
    """The candidates in the order they appear on the page (absent ones dropped)."""
    found = [(html.find(n), n) for n in candidates if n in html]
    return [n for _, n in sorted(found)]


def rows(user, **params) -> list[str]:
    return [r.person.name for r in queue.build(user, params, timezone.localdate()).rows]


def test_ordered_by_cvd_risk_then_gastric_points_then_name_unscored_last(world):
    t, ho1 = world["t"], world["ho1"]
    for name, cvd, gastric in (
        ("甲低", 5.2, 3),
        ("乙无", None, 20),
        ("丙高", 21.4, None),
        ("丁中胃高", 7.5, 18),
        ("戊中胃低", 7.5, 12),
    ):
        make_result(make_member(t.branch1, name, department=t.dept1), by=ho1, cvd=cvd, gastric=gastric)
    assert rows(ho1) == ["丙高", "丁中胃高", "戊中胃低", "甲低", "乙无"]


def test_secretary_leader_and_office_get_404(client, world):
    for who in ("sec1", "leader", "office"):
        client.force_login(world[who])
        assert client.get(URL).status_code == 404, who
        assert client.get(reverse("health:queue_export")).status_code == 404, who


def test_officer_sees_only_people_in_his_scope(client, world):
    make_result(world["p1"], by=world["ho1"], cvd=12.0)
    make_result(world["p2"], by=world["ho2"], cvd=15.0)
    client.force_login(world["ho2"])
    html = client.get(URL).content.decode()
    assert "李二" in html and "张一" not in html
    assert rows(world["ho_all"]) == ["李二", "张一"]


def test_row_shows_percent_badges_flags_and_missing_data_in_chinese(client, world):
    ho1 = world["ho1"]
    make_result(
        world["p1"],
        by=ho1,
        cvd=12.345,
        cvd_outside_derivation=True,
        apcs_points=4,
        apcs_category="high",
        colonoscopy_referral=True,
        missing={"gastric": ["age"], "crc_questionnaire": ["chronic_diarrhoea", "pg_ratio"]},
        age=38,
    )
    client.force_login(ho1)
    html = client.get(URL).content.decode()
    assert "12.3%" in html and "高危" in html and "年龄超出推导范围" in html
    assert "高风险" in html and "建议肠镜" in html
    assert "未满40岁，不适用" in html
    assert "慢性腹泻" in html and "胃蛋白酶原比值" in html
    assert reverse("health:follow_up", args=[world["p1"].pk, YEAR]) in html


def test_default_year_is_the_latest_with_results_in_scope(client, world):
    make_result(world["p1"], by=world["ho1"], cvd=12.0, year=YEAR - 1)
    make_result(world["p2"], by=world["ho2"], cvd=12.0, year=YEAR)  # outside ho1's scope
    client.force_login(world["ho1"])
    response = client.get(URL)
    assert response.context["year"] == YEAR - 1
    assert "张一" in response.content.decode()
    assert client.get(URL, {"year": YEAR}).context["year"] == YEAR


def test_filters(world):
    t, ho1, ho_all = world["t"], world["ho1"], world["ho_all"]
    today = timezone.localdate()
    people = {
        n: make_member(t.branch1, n, department=t.dept1) for n in ("低危", "胃中", "肠镜", "APCS", "已指派", "超期")
    }
    make_result(people["低危"], by=ho1, cvd=2.0)
    make_result(people["胃中"], by=ho1, cvd=3.0, gastric=13)
    make_result(people["肠镜"], by=ho1, cvd=4.0, colonoscopy_referral=True, follow_up_needed=True)
    make_result(people["APCS"], by=ho1, cvd=None, apcs_points=5, apcs_category="high", follow_up_needed=True)
    make_result(people["已指派"], by=ho1, cvd=11.0)
    make_result(people["超期"], by=ho1, cvd=8.0)
    FollowUp.objects.create(person=people["已指派"], year=YEAR, assigned_to=ho1, assigned_on=today)
    FollowUp.objects.create(
        person=people["超期"], year=YEAR, assigned_to=ho_all, assigned_on=today - timedelta(days=15)
    )
    make_result(world["p1"], by=ho1, cvd=6.0)
    FollowUp.objects.create(person=world["p1"], year=YEAR, assigned_to=ho1, assigned_on=today, status="closed")

    assert "低危" not in rows(ho1)  # default: need follow-up only
    assert rows(ho1, need="all")[-2:] == ["低危", "APCS"]
    assert rows(ho1, cvd="high") == ["已指派"]
    assert rows(ho1, cvd="none") == ["APCS"]
    assert rows(ho1, flag="gastric") == ["胃中"]
    assert rows(ho1, flag="apcs") == ["APCS"]
    assert rows(ho1, flag="colonoscopy") == ["肠镜"]
    assert rows(ho1, flag="any") == ["肠镜", "胃中", "APCS"]
    assert rows(ho1, assigned="mine") == ["已指派", "张一"]
    assert rows(ho1, assigned="unassigned") == ["肠镜", "胃中", "APCS"]
    assert rows(ho1, status="none") == ["肠镜", "胃中", "APCS"]
    assert rows(ho1, status="open") == ["已指派", "超期"]
    assert rows(ho1, status="overdue") == ["超期"]
    assert rows(ho1, status="closed") == ["张一"]
    assert rows(ho1, q="胃") == ["胃中"]
    make_result(world["p2"], by=world["ho2"], cvd=9.0)
    assert rows(ho_all, org=str(t.branch2.pk)) == ["李二"]
    assert rows(ho_all, department=str(t.dept2.pk)) == ["李二"]
    assert "李二" not in rows(ho_all, org=str(t.branch1.pk))


def test_query_count_does_not_grow_with_results(client, world):
    t, ho1 = world["t"], world["ho1"]
    client.force_login(ho1)
    today = timezone.localdate()

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            p = make_member(t.branch1, f"队列{i:03d}", department=t.dept1)
            make_result(p, by=ho1, cvd=5.0 + i / 10, gastric=i % 24, missing={"gastric": ["gastrin17_pmol_l"]})
            if i % 2:
                FollowUp.objects.create(person=p, year=YEAR, assigned_to=ho1, assigned_on=today, next_check_on=today)
            if i % 3 == 0:
                checkup_after_the_run(p)

    def count() -> int:
        client.get(URL)  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as q:
            response = client.get(URL)
        assert response.status_code == 200
        return len(q)

    add(5, 0)
    small = count()
    add(55, 5)
    assert count() == small
    assert "队列059" in client.get(URL).content.decode()


def checkup_after_the_run(person) -> Checkup:
    checkup = Checkup(person=person, year=YEAR, checked_on=date(YEAR, 1, 2))
    checkup.set_values({"sbp_mmhg": 150.0})
    checkup.save()
    ScreeningRun.objects.filter(results__person=person).update(started_at=checkup.updated_at - timedelta(minutes=1))
    return checkup


def test_a_checkup_reimported_after_the_run_is_marked_on_the_queue_and_in_the_export(client, world):
    p1, p2, ho_all = world["p1"], world["p2"], world["ho_all"]
    make_result(p1, by=ho_all, cvd=12.0)
    make_result(p2, by=ho_all, cvd=11.0)
    checkup = checkup_after_the_run(p1)
    fresh = Checkup(person=p2, year=YEAR, checked_on=date(YEAR, 1, 2))
    fresh.set_values({"sbp_mmhg": 120.0})
    fresh.save()
    Checkup.objects.filter(pk=fresh.pk).update(updated_at=checkup.updated_at - timedelta(minutes=5))  # read by the run
    client.force_login(ho_all)
    html = client.get(URL).content.decode()
    assert 'id="queue-stale"' in html and "本页有 1 人的体检结果在筛查之后已更新" in html
    row1 = html[html.index(p1.name) : html.index(p2.name)]
    row2 = html[html.index(p2.name) :]
    assert "体检已更新，待重新筛查" in row1 and "体检已更新，待重新筛查" not in row2
    data = list_rows(client.get(reverse("health:queue_export")).content)
    column = data[0].index("评分可能已过时")
    assert {r[0]: r[column] for r in data[1:]} == {p1.name: "是", p2.name: None}
    ScreeningRun.objects.update(started_at=timezone.now())  # a new run read the re-imported checkup
    assert 'id="queue-stale"' not in client.get(URL).content.decode()


def test_showing_the_queue_is_audited_without_values(client, world):
    make_result(world["p1"], by=world["ho1"], cvd=17.77)
    client.force_login(world["ho1"])
    client.get(URL, {"page": 1})
    event = AuditEvent.objects.filter(action="view_sensitive").latest("id")
    assert event.detail == {"what": "follow_up_queue", "year": YEAR, "page": 1, "people": [world["p1"].pk]}
    assert event.actor == world["ho1"]
    assert "17.7" not in str(event.detail) + str(event.before) + str(event.after)


def test_export_is_the_filtered_queue_and_is_audited(client, world):
    t, ho1 = world["t"], world["ho1"]
    make_result(world["p1"], by=ho1, cvd=12.34)
    low = make_member(t.branch1, "低危者", department=t.dept1)
    make_result(low, by=ho1, cvd=1.0)
    make_result(world["p2"], by=world["ho2"], cvd=30.0)
    client.force_login(ho1)
    response = client.get(reverse("health:queue_export"), {"need": "all"})
    assert response.status_code == 200
    data = list_rows(response.content)
    assert data[0][:4] == ("姓名", "部门", "年龄", "10年心血管病风险（%）")
    assert [r[0] for r in data[1:]] == ["张一", "低危者"]  # 李二 is outside ho1's scope
    assert data[1][3] == 12.3 and data[1][4] == "高危"
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.detail["rows"] == 2 and event.detail["year"] == YEAR
    assert sorted(event.detail["people"]) == sorted([world["p1"].pk, low.pk])


def test_bulk_assignment_from_the_queue_skips_people_outside_the_officers_scope(client, world):
    ho1, ho_all = world["ho1"], world["ho_all"]
    make_result(world["p1"], by=ho_all, cvd=12.0)
    make_result(world["p2"], by=ho_all, cvd=12.0)
    client.force_login(ho_all)
    response = client.post(
        reverse("health:queue_assign"),
        {"person": [world["p1"].pk, world["p2"].pk], "officer": ho1.pk, "year": YEAR, "back": "status=none"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?status=none")
    fu = FollowUp.objects.get()
    assert (fu.person, fu.assigned_to, fu.assigned_on) == (world["p1"], ho1, timezone.localdate())
    assert AuditEvent.objects.filter(object_type="health.followup", action="create").count() == 1


def test_a_long_organisation_list_offers_committees_and_general_branches_but_filters_by_any(client, world, monkeypatch):
    t, ho_all = world["t"], world["ho_all"]
    make_result(world["p1"], by=ho_all, cvd=12.0)
    make_result(world["p2"], by=ho_all, cvd=15.0)
    monkeypatch.setattr(forms, "MAX_ORG_CHOICES", 1)
    client.force_login(ho_all)
    html = client.get(URL).content.decode()
    select = html[html.index('name="org"') :]
    select = select[: select.index("</select>")]
    assert f'<option value="{t.root.pk}">' in select
    assert f'<option value="{t.branch1.pk}">' not in select
    html = client.get(URL, {"org": t.branch1.pk, "need": "all"}).content.decode()
    assert world["p1"].name in html and world["p2"].name not in html


@pytest.mark.parametrize(
    ("percent", "shown", "category"), [(9.96, "9.9%", "中危"), (4.96, "4.9%", "低危"), (10.0, "10.0%", "高危")]
)
def test_the_percent_shown_never_contradicts_its_category(client, world, percent, shown, category):
    make_result(world["p1"], by=world["ho1"], cvd=percent)
    client.force_login(world["ho1"])
    html = client.get(URL, {"need": "all"}).content.decode()
    cell = html[html.index(world["p1"].name) :]
    assert f"{shown} <span" in cell and category in cell[: cell.index("</tr>")]


def test_the_queue_export_writes_a_formula_like_name_as_text(client, world):
    world["p1"].name = INJECTION
    world["p1"].save()
    make_result(world["p1"], by=world["ho1"], cvd=12.34)
    client.force_login(world["ho1"])
    assert_written_as_text(client.get(reverse("health:queue_export"), {"need": "all"}).content)
