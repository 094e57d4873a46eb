"""青马班 page: a student is enrolled by ID number or employee number (no drop-down of the whole institute), and
only someone the organiser sees; the page's queries do not grow with the institute's staff."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from dangjian.talent import services
from dangjian.talent.models import ClassStudent, Mentorship
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db
START = timezone.localdate() - timedelta(days=100)


@pytest.fixture
def world():
    t = make_tree()
    a = make_member(t.branch1, "甲", department=t.dept1, employee_no="E1001")
    c = make_member(t.branch2, "丙", department=t.dept2, employee_no="E2001")
    office = make_user("office", "office", t.root)
    klass = services.open_class(
        office,
        {
            "organization": t.branch1,
            "name": "本期青马班",
            # running today: its enrolment form is shown while it runs
            "starts_on": START,
            "ends_on": timezone.localdate() + timedelta(days=100),
            "required_rate": 75,
        },
    )
    return t, a, c, office, klass


def _enroll(client, klass, person: str):
    return client.post(
        reverse("talent:class_enroll", args=[klass.pk]), {"person": person, "on": START.isoformat()}, follow=True
    )


def test_a_student_is_enrolled_by_employee_or_id_number(client, world):
    t, a, c, office, klass = world
    client.force_login(office)
    page = client.get(reverse("talent:class_detail", args=[klass.pk])).content.decode()
    assert 'name="person"' in page and '<select name="person"' not in page
    _enroll(client, klass, " e1001 ")
    assert list(ClassStudent.objects.filter(klass=klass).values_list("person_id", flat=True)) == [a.pk]

    # a number nobody has is refused on the page
    for raw in ("E9999", "NOPE"):
        response = _enroll(client, klass, raw)
        said = [str(m) for m in get_messages(response.wsgi_request)]
        assert any("您管理范围内没有该公民身份号码或工号的人员" in m for m in said), said
    assert ClassStudent.objects.filter(klass=klass).count() == 1

    _enroll(client, klass, c.id_number.lower())  # by ID number, as typed
    assert ClassStudent.objects.filter(klass=klass).count() == 2


def test_the_class_page_does_not_list_every_person(client, world, django_assert_max_num_queries):
    t, a, c, office, klass = world
    client.force_login(office)
    url = reverse("talent:class_detail", args=[klass.pk])
    client.get(url)
    for i in range(5):
        make_person(f"职工{i}", department=t.dept1)
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert "职工4" not in page


def test_a_mentor_and_apprentice_are_named_by_number(client, world):
    t, a, c, office, klass = world
    client.force_login(office)
    url = reverse("talent:mentorship_add")
    page = client.get(url).content.decode()
    assert '<select name="mentor"' not in page and '<select name="apprentice"' not in page
    data = {
        "organization": t.branch1.pk,
        "mentor": "E1001",
        "apprentice": "NOPE",
        "starts_on": "2026-03-01",
        "ends_on": "2027-03-01",
    }
    data["goals"] = "一年内独立承担一项校准方法研究"
    page = client.post(url, data).content.decode()
    assert "您管理范围内没有该公民身份号码或工号的人员" in page
    assert not Mentorship.objects.exists()
    page = client.post(url, {**data, "apprentice": c.id_number}).content.decode()
    assert "errorlist" not in page, page[page.find("errorlist") - 300 : page.find("errorlist") + 300]
    pair = Mentorship.objects.get()
    assert (pair.mentor_id, pair.apprentice_id) == (a.pk, c.pk)
