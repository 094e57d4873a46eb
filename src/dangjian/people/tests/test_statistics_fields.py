"""What the in-party statistics need from the roster: 籍贯, 参加工作时间, 职业 in the form, page and import;
党员减少登记; the honours register; the data-quality page (资料完整性)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.people.models import Honour, Membership, Person
from dangjian.people.roster import COLUMNS, import_roster
from dangjian.sheets.testing import list_rows
from dangjian.testing import make_member, make_person, make_tree, make_user

from .test_roster_helpers import find_error, member, new_id, xlsx

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world():
    t = make_tree()
    office = make_user("office", "office", t.root)
    sec2 = make_user("sec2", "secretary", t.branch2)
    return t, office, sec2


# -- person form and page -------------------------------------------------------------------------------------------


def _person_data(**extra):
    return {
        "name": "新人",
        "id_number": "11010519491231002X",
        "ethnicity": "汉族",
        "employment": "staff",
        "political_status": "masses",
        **extra,
    }


def test_the_person_form_takes_native_place_work_start_and_occupation(client, world):
    t, office, _sec2 = world
    client.force_login(office)
    html = client.post(reverse("people:create"), _person_data(work_started_on="1960-01-01")).content.decode()
    assert "参加工作时间早于年满16周岁之日" in html
    html = client.post(reverse("people:create"), _person_data(occupation="astronaut")).content.decode()
    assert "astronaut" in html and not Person.objects.filter(name="新人").exists()
    data = _person_data(native_place="河北省石家庄市", work_started_on="1968-08-01", occupation="retired")
    assert client.post(reverse("people:create"), data).status_code == 302
    p = Person.objects.get(name="新人")
    assert (p.native_place, p.work_started_on, p.occupation) == ("河北省石家庄市", date(1968, 8, 1), "retired")
    html = client.get(reverse("people:detail", args=[p.pk])).content.decode()
    assert "河北省石家庄市" in html and "1968-08-01" in html and "离退休人员" in html


# -- roster import and export ---------------------------------------------------------------------------------------


def test_the_roster_has_the_three_columns_last_and_optional(tree):
    assert COLUMNS[-3:] == ("籍贯", "参加工作时间", "职业")
    old = [h for h in COLUMNS if h not in ("籍贯", "参加工作时间", "职业")]
    number = new_id()
    assert import_roster(xlsx([member(公民身份号码=number)], headers=old), "old.xlsx").ok
    Person.objects.filter(id_number=number).update(native_place="山东省济南市", occupation="manager")
    # a file of the older template changes no one's
    assert import_roster(xlsx([member(公民身份号码=number)], headers=old), "old.xlsx").ok
    p = Person.objects.get(id_number=number)
    assert (p.native_place, p.occupation) == ("山东省济南市", "manager")


def test_import_reads_and_validates_the_columns_by_row_and_column(tree):
    good, bad = new_id(birth=date(1980, 3, 4)), new_id(birth=date(1980, 3, 4))
    rows = [
        member(公民身份号码=good, 籍贯="四川省绵阳市", 参加工作时间="2003-07-01", 职业="专业技术人员"),
        member(公民身份号码=bad, 籍贯="省" * 51, 参加工作时间="1990-01-01", 职业="宇航员"),
    ]
    report = import_roster(xlsx(rows), "roster.xlsx")
    assert not report.ok
    assert "不能超过50个字" in find_error(report, 3, "籍贯")
    assert "未满16周岁" in find_error(report, 3, "参加工作时间")
    assert "无法识别的职业" in find_error(report, 3, "职业")
    assert not Person.objects.filter(id_number=good).exists()  # all or nothing
    report = import_roster(xlsx(rows[:1]), "roster.xlsx")
    assert report.ok, report.errors
    p = Person.objects.get(id_number=good)
    assert (p.native_place, p.work_started_on, p.occupation) == ("四川省绵阳市", date(2003, 7, 1), "professional")


def test_the_export_writes_the_columns_back(client, world):
    t, office, _sec2 = world
    make_member(t.branch1, "甲", native_place="湖北省武汉市", work_started_on=date(2008, 7, 1), occupation="worker")
    client.force_login(office)
    rows = list_rows(client.get(reverse("people:export")).content)
    header, first = rows[0], rows[1]
    values = dict(zip(header, first, strict=True))
    assert values["籍贯"] == "湖北省武汉市" and values["职业"] == "工人（工勤技能人员）"
    assert str(values["参加工作时间"])[:10] == "2008-07-01"


# -- 党员减少登记 ------------------------------------------------------------------------------------------------------


def test_a_death_ends_the_membership_with_its_cause_audited(client, world):
    t, office, _sec2 = world
    p = make_member(t.branch1, "甲")
    client.force_login(office)
    url = reverse("people:departure", args=[p.pk])
    html = client.get(url).content.decode()
    assert 'value="cancelled"' not in html and 'value="died"' in html  # a full member
    response = client.post(url, {"cause": "died", "on": "2026-01-05", "note": "因病去世"})
    assert response.status_code == 200 and response.context["form"].errors["confirm"]
    assert Membership.objects.current().filter(person=p).exists()  # not confirmed: nothing written
    response = client.post(url, {"cause": "died", "on": "2026-01-05", "note": "因病去世", "confirm": "on"})
    assert response.status_code == 302
    m = Membership.objects.get(person=p)
    assert (m.ended_on, m.end_cause, m.end_reason) == (date(2026, 1, 5), "died", "死亡：因病去世")
    p.refresh_from_db()
    assert p.political_status == "member"  # a death keeps it
    assert AuditEvent.objects.filter(object_id=str(m.pk), action="update").exists()


def test_expulsion_and_cancellation_make_the_person_a_non_member(client, world):
    t, office, _sec2 = world
    a, b = make_member(t.branch1, "甲"), make_member(t.branch1, "乙", status="probationary")
    client.force_login(office)
    data = {"on": "2026-01-05", "note": "党委会议纪要〔2026〕第1号", "confirm": "on"}
    response = client.post(reverse("people:departure", args=[a.pk]), {**data, "cause": "cancelled"})
    assert response.context["form"].errors["cause"]  # only a probationary member's status can be cancelled
    assert Membership.objects.current().filter(person=a).exists()
    assert client.post(reverse("people:departure", args=[a.pk]), {**data, "cause": "expelled"}).status_code == 302
    assert client.post(reverse("people:departure", args=[b.pk]), {**data, "cause": "cancelled"}).status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.political_status, b.political_status) == ("masses", "masses")
    assert Membership.objects.get(person=b).end_cause == "cancelled"


def test_departure_is_scope_checked(client, world):
    t, _office, sec2 = world
    p = make_member(t.branch1, "甲")
    client.force_login(sec2)
    data = {"cause": "died", "on": "2026-01-05", "note": "x", "confirm": "on"}
    assert client.post(reverse("people:departure", args=[p.pk]), data).status_code == 404
    assert Membership.objects.current().filter(person=p).exists()


# -- honours --------------------------------------------------------------------------------------------------------


HONOUR = {
    "title": "优秀共产党员",
    "kind": "party",
    "level": "institute",
    "awarded_on": "2025-07-01",
    "issuer": "所党委",
}


def test_honours_are_added_edited_and_withdrawn_on_the_person_page(client, world):
    t, office, _sec2 = world
    p = make_member(t.branch1, "甲")
    client.force_login(office)
    assert client.post(reverse("people:honour_new", args=[p.pk]), HONOUR).status_code == 302
    h = Honour.objects.get(person=p)
    html = client.get(reverse("people:detail", args=[p.pk])).content.decode()
    assert "优秀共产党员" in html and "2025-07-01" in html
    edit = reverse("people:honour_edit", args=[p.pk]) + f"?honour={h.pk}"
    assert client.post(edit, {**HONOUR, "level": "group"}).status_code == 302
    h.refresh_from_db()
    assert h.level == "group"
    withdraw = reverse("people:honour_withdraw", args=[p.pk]) + f"?honour={h.pk}"
    assert client.post(withdraw, {}).status_code == 200 and Honour.objects.filter(pk=h.pk).exists()
    assert client.post(withdraw, {"reason": "重复登记"}).status_code == 302
    assert not Honour.objects.filter(pk=h.pk).exists() and Honour.all_objects.get(pk=h.pk).deleted_at
    event = AuditEvent.objects.filter(action="delete", object_id=str(h.pk)).get()
    assert event.detail["reason"] == "重复登记"
    # an honour of another person is not reached through this one
    other = make_member(t.branch1, "乙")
    h2 = Honour.objects.create(person=other, title="先进工作者", level="institute", awarded_on=date(2025, 1, 1))
    response = client.post(reverse("people:honour_edit", args=[p.pk]) + f"?honour={h2.pk}", HONOUR)
    assert response.status_code == 302 and Honour.objects.get(pk=h2.pk).title == "先进工作者"


def test_future_honours_are_refused(client, world):
    t, office, _sec2 = world
    p = make_member(t.branch1, "甲")
    client.force_login(office)
    html = client.post(reverse("people:honour_new", args=[p.pk]), {**HONOUR, "awarded_on": "2999-01-01"})
    assert "授予日期不能晚于今天" in html.content.decode()


def test_the_honours_register_filters_scopes_and_exports(client, world, django_assert_max_num_queries):
    t, office, sec2 = world
    a, b = make_member(t.branch1, "甲"), make_member(t.branch2, "乙")
    Honour.objects.create(person=a, title="优秀共产党员", level="institute", awarded_on=date(2025, 7, 1))
    Honour.objects.create(person=b, title="先进工作者", kind="other", level="provincial", awarded_on=date(2024, 12, 1))
    url = reverse("people:honours")
    client.force_login(office)

    def names(params):
        return {h.person.name for h in client.get(url, params).context["page"].object_list}

    assert names({}) == {"甲", "乙"}
    assert names({"year": 2025}) == {"甲"}
    assert names({"level": "provincial"}) == {"乙"}
    assert names({"kind": "party"}) == {"甲"}
    assert names({"org": t.branch2.pk}) == {"乙"}
    assert names({"q": "先进"}) == {"乙"}
    for i in range(10):
        Honour.objects.create(person=a, title=f"荣誉{i}", level="other", awarded_on=date(2023, 1, 1 + i))
    with django_assert_max_num_queries(12):
        client.get(url)
    rows = list_rows(client.get(reverse("people:honours_export"), {"year": 2025}).content)
    assert rows[0][:3] == ("姓名", "荣誉名称", "类别") and [r[0] for r in rows[1:]] == ["甲"]
    client.force_login(sec2)
    assert names({}) == {"乙"}


# -- 资料完整性 -------------------------------------------------------------------------------------------------------


def test_the_quality_page_counts_and_lists_what_is_missing(client, world):
    t, office, sec2 = world
    complete = {"native_place": "北京市", "work_started_on": date(2008, 7, 1), "occupation": "professional"}
    make_member(t.branch1, "全", education="master", **complete)
    make_member(t.branch1, "缺籍", education="master", **{**complete, "native_place": ""})
    make_member(t.branch2, "缺多", education="")
    p = make_member(t.branch1, "旧", education="master", **complete)
    Membership.objects.filter(person=p).update(
        ended_on=date(TODAY.year, 1, 2), end_reason="其他", end_cause="", start_cause=""
    )
    make_person("群众")  # not a member: not listed
    client.force_login(office)
    response = client.get(reverse("people:quality"))
    counts = {c.key: n for c, n in response.context["checks"]}
    assert response.context["members"] == 3
    assert counts["native_place"] == 2 and counts["education"] == 1 and counts["occupation"] == 1
    assert counts["end_cause"] == 1 and counts["start_cause"] == 0  # started 2015: before the two years
    listed = {m.person.name for m, _ in response.context["rows"]}
    assert listed == {"缺籍", "缺多", "旧"}
    only = client.get(reverse("people:quality"), {"field": "native_place"}).context["rows"]
    assert {m.person.name for m, _ in only} == {"缺籍", "缺多"}
    in_branch2 = client.get(reverse("people:quality"), {"org": t.branch2.pk}).context["rows"]
    assert {m.person.name for m, _ in in_branch2} == {"缺多"}
    rows = list_rows(client.get(reverse("people:quality_export"), {"field": "native_place"}).content)
    assert sorted(r[0] for r in rows[1:]) == ["缺多", "缺籍"]
    client.force_login(sec2)
    html = client.get(reverse("people:quality")).content.decode()
    assert "缺多" in html and "缺籍" not in html


def test_the_quality_page_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    t, office, _sec2 = world
    client.force_login(office)
    for i in range(3):
        make_member(t.branch1, f"甲{i}")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("people:quality"))
    for i in range(30):
        make_member(t.branch2, f"乙{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("people:quality"))


def test_the_people_list_links_the_new_pages(client, world):
    _t, office, _sec2 = world
    client.force_login(office)
    html = client.get(reverse("people:list")).content.decode()
    assert reverse("people:quality") in html and reverse("people:honours") in html
