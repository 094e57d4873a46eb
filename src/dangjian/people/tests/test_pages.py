from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.people.models import Membership, Person
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    t = make_tree()
    office = make_user("office", "office", t.root)
    return t, office


def names(response) -> set[str]:
    return {p.name for p in response.context["page"].object_list}


def test_filters_by_subtree_status_department_employment_and_age(client, world):
    t, office = world
    year = timezone.localdate().year  # ages 30, 45 and 55 or 56 whatever the year the suite runs
    a = make_member(t.branch1, "甲", department=t.dept1, birth=date(year - 30, 1, 1))
    b = make_member(t.branch2, "乙", department=t.dept2, status="probationary", birth=date(year - 45, 1, 1))
    c = make_person("丙", department=t.dept1, employment="contract", birth=date(year - 56, 6, 1))
    client.force_login(office)
    url = reverse("people:list")
    assert names(client.get(url, {"org": t.general.pk})) == {"甲", "乙"}
    assert names(client.get(url, {"org": t.branch1.pk})) == {"甲"}
    assert names(client.get(url, {"status": "probationary"})) == {"乙"}
    assert names(client.get(url, {"status": "non_member"})) == {"丙"}
    assert names(client.get(url, {"department": t.dept1.pk})) == {"甲", "丙"}
    assert names(client.get(url, {"employment": "contract"})) == {"丙"}
    assert names(client.get(url, {"age": "50s"})) == {"丙"}
    assert names(client.get(url, {"q": "乙"})) == {"乙"}
    assert names(client.get(url, {"q": a.id_number[:10]})) >= {"甲"}
    order = [p.name for p in client.get(url, {"sort": "-age"}).context["page"].object_list]
    assert order == ["丙", "乙", "甲"]
    assert c.pk and b.pk


def test_lists_mask_id_numbers_and_phones(client, world):
    t, office = world
    p = make_member(t.branch1, "甲", phone="13912345678")
    client.force_login(office)
    html = client.get(reverse("people:list")).content.decode()
    assert p.id_number not in html and p.masked_id_number in html
    assert "13912345678" not in html and "139****5678" in html


def test_full_id_numbers_only_for_roles_that_need_them_and_each_view_is_audited(client, world):
    t, office = world
    p = make_member(t.branch1, "甲")
    leader = make_user("leader", "leader", t.root)
    client.force_login(leader)
    html = client.get(reverse("people:detail", args=[p.pk])).content.decode()
    assert p.id_number not in html
    assert not AuditEvent.objects.filter(action="view_sensitive").exists()
    client.force_login(office)
    html = client.get(reverse("people:detail", args=[p.pk])).content.decode()
    assert p.id_number in html
    assert AuditEvent.objects.filter(action="view_sensitive", object_id=str(p.pk), actor=office).count() == 1


def test_a_member_sees_only_themself(client, world):
    t, office = world
    me = make_member(t.branch1, "我")
    make_member(t.branch1, "同事")
    user = make_user("me", "member", person=me)
    client.force_login(user)
    assert names(client.get(reverse("people:list"))) == {"我"}
    assert client.get(reverse("people:detail", args=[me.pk])).status_code == 200
    assert client.get(reverse("orgs:list")).status_code == 404


def test_the_member_list_query_count_does_not_grow_with_the_data(client, world):
    t, office = world
    client.force_login(office)
    url = reverse("people:list")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        make_member(t.branch1, f"少{i}", group=t.group1, department=t.dept1)
    few = count()
    for i in range(40):
        make_member(t.branch2 if i % 2 else t.branch1, f"多{i}", department=t.dept2)
    assert count() == few


def test_the_organisation_page_query_count_does_not_grow_with_the_data(client, world):
    t, office = world
    client.force_login(office)
    url = reverse("orgs:detail", args=[t.branch1.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_member(t.branch1, "一", group=t.group1)
    few = count()
    for i in range(30):
        make_member(t.branch1, f"员{i}", group=t.group1)
    assert count() == few


def test_creating_a_person_validates_the_id_number_against_sex_and_birth_date(client, world):
    t, office = world
    client.force_login(office)
    data = {
        "name": "新人",
        "id_number": "11010519491231002X",
        "sex": "M",
        "birth_date": "1950-01-01",
        "ethnicity": "汉族",
        "employment": "staff",
        "political_status": "masses",
    }
    html = client.post(reverse("people:create"), data).content.decode()
    assert "性别与公民身份号码不符" in html and "出生日期与公民身份号码不符" in html
    data.update(sex="", birth_date="")
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 302
    p = Person.objects.get(name="新人")
    assert (p.sex, p.birth_date) == ("F", date(1949, 12, 31))
    data["id_number"] = "110105194912310021"
    html = client.post(reverse("people:create"), data).content.decode()
    assert "校验码错误" in html


def test_moving_a_member_keeps_the_history(client, world):
    t, office = world
    p = make_member(t.branch1, "迁")
    client.force_login(office)
    response = client.post(
        reverse("people:move", args=[p.pk]), {"to_branch": t.branch2.pk, "on": "2026-03-01", "reason": "调动"}
    )
    assert response.status_code == 302
    rows = list(Membership.objects.filter(person=p).order_by("started_on"))
    assert [r.organization for r in rows] == [t.branch1, t.branch2]
    assert rows[0].ended_on == date(2026, 3, 1) and rows[1].ended_on is None
    html = client.get(reverse("people:detail", args=[p.pk])).content.decode()
    assert "一支部" in html and "二支部" in html


def test_export_then_import_changes_nothing(client, world):
    from dangjian.people.roster import import_roster

    t, office = world
    for i in range(5):
        make_member(t.branch1, f"出{i}", department=t.dept1, phone="13800000000")
    make_person("群众", department=t.dept1)
    client.force_login(office)
    response = client.get(reverse("people:export"), {"org": t.root.pk})
    assert response.status_code == 200
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.active.max_row >= 7  # title, header and the six persons
    report = import_roster(response.content, "export.xlsx", user=office, dry_run=True)
    assert report.ok and report.created == 0 and report.updated == 0 and report.memberships_changed == 0
    assert AuditEvent.objects.filter(action="export", actor=office).exists()


def test_the_roster_stays_chinese_when_the_interface_is_english(client, world):
    import io

    import openpyxl

    from dangjian.people.roster import import_roster

    t, office = world
    make_member(t.branch1, "英", department=t.dept1)
    client.force_login(office)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(reverse("people:export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c.value for c in sheet[3]]  # the first person, below the title and the header
    assert "中共党员" in values and "在编" in values
    report = import_roster(response.content, "export.xlsx", user=office, dry_run=True)
    assert report.ok and report.created == 0 and report.updated == 0


def test_the_organisation_filter_lists_upper_levels_in_a_large_scope(client, world, monkeypatch):
    from dangjian.people.views import persons

    t, office = world
    monkeypatch.setattr(persons, "MAX_CHOICES", 3)
    choices = persons.org_choices(office, None)
    assert {o.kind for o in choices} <= {"committee", "general_branch"}
    chosen = persons.org_choices(office, str(t.branch2.pk))
    assert t.branch2 in chosen
    client.force_login(office)
    html = client.get(reverse("orgs:detail", args=[t.branch2.pk])).content.decode()
    assert f"/people/?org={t.branch2.pk}" in html


def test_a_huge_organisation_number_in_the_filter_is_a_filter_error(client, world):
    t, office = world
    client.force_login(office)
    response = client.get(reverse("people:list"), {"org": "9" * 30})
    assert response.status_code == 200 and "筛选条件有误" in response.content.decode()
    assert client.get(reverse("people:detail", args=[10**20])).status_code == 404


def test_edit_page_shows_dates_in_the_iso_form_a_date_input_accepts(client, world):
    # a <input type="date"> shows nothing for "2020/03/01", and saving the form would then lose the date
    t, office = world
    p1 = make_member(t.branch1, "甲", department=t.dept1)
    Person.objects.filter(pk=p1.pk).update(hire_date=date(2020, 3, 1))
    client.force_login(office)
    html = client.get(reverse("people:edit", args=[p1.pk])).content.decode()
    assert 'value="2020-03-01"' in html
    assert "2020/03/01" not in html


def test_office_records_discipline_probation_and_it_bars_sponsoring(client, world):
    t, office = world
    p = make_member(t.branch1, "甲", department=t.dept1)
    client.force_login(office)
    url = reverse("people:discipline", args=[p.pk])
    bad = client.post(url, {"since": "2026-03-01", "until": "2026-02-01", "reason": "某纪发〔2026〕1号"})
    assert "恢复党员权利日期应晚于" in bad.content.decode()
    ok = client.post(url, {"since": "2026-03-01", "until": "", "reason": "某纪发〔2026〕1号"})
    assert ok.status_code == 302
    m = Membership.objects.current().get(person=p)
    assert m.under_discipline_probation(date(2026, 6, 1)) and not m.under_discipline_probation(date(2026, 2, 28))
    assert AuditEvent.objects.filter(object_type="people.membership", object_id=str(m.pk), action="update").exists()
    assert "留党察看" in client.get(reverse("people:detail", args=[p.pk])).content.decode()
