"""Two people editing the same person or the same minutes: the later save is refused, showing what differs
(issue 10, section 7). Each test loads the form twice, then posts both."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.meetings import services as meeting_services
from dangjian.meetings.models import Meeting
from dangjian.meetings.tests.test_pages import minutes_data
from dangjian.meetings.tests.test_pages_world import held_with_quorum, make_world, plan
from dangjian.people.models import Person
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db


def loaded_version(html: str) -> str:
    found = re.search(r'name="loaded_version" value="([0-9a-f]+)"', html)
    assert found, "the form carries no loaded_version"
    return found.group(1)


def person_data(person: Person, **changes) -> dict:
    data = {
        "name": person.name,
        "id_number": person.id_number,
        "ethnicity": person.ethnicity or "汉族",
        "employment": person.employment,
        "political_status": person.political_status,
        "post": person.post,
        "phone": person.phone,
    }
    return data | changes


def test_the_later_save_of_a_person_is_refused_with_the_difference():
    t = make_tree()
    person = make_member(t.branch1, "王五", phone="13800000001")
    first, second = Client(), Client()
    first.force_login(make_user("sec", "secretary", t.branch1))
    second.force_login(make_user("office", "office", t.root))
    url = reverse("people:edit", args=[person.pk])
    version_1 = loaded_version(first.get(url).content.decode())
    version_2 = loaded_version(second.get(url).content.decode())

    saved = first.post(url, person_data(person, post="高级工程师", loaded_version=version_1))
    assert saved.status_code == 302
    refused = second.post(url, person_data(person, phone="13900000002", loaded_version=version_2))
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "未保存" in html and "已被他人修改" in html and "sec" in html
    table = html[html.index('id="edit-conflict"') :]
    assert "高级工程师" in table and "13900000002" in table  # their post vs yours; their phone vs yours
    person.refresh_from_db()
    assert (person.post, person.phone) == ("高级工程师", "13800000001")  # nothing of the later save written

    # The form came back carrying the current version: saving again, knowingly, goes through.
    again = second.post(url, person_data(person, phone="13900000002", loaded_version=loaded_version(html)))
    assert again.status_code == 302
    person.refresh_from_db()
    assert (person.post, person.phone) == ("高级工程师", "13900000002")


def test_two_saves_of_a_person_in_turn_do_not_conflict():
    t = make_tree()
    person = make_member(t.branch1, "赵六")
    client = Client()
    client.force_login(make_user("sec", "secretary", t.branch1))
    url = reverse("people:edit", args=[person.pk])
    for post in ("工程师", "高级工程师"):
        version = loaded_version(client.get(url).content.decode())
        assert client.post(url, person_data(person, post=post, loaded_version=version)).status_code == 302
    person.refresh_from_db()
    assert person.post == "高级工程师"


def test_the_later_save_of_the_same_minutes_is_refused_with_the_difference():
    w = make_world()
    meeting = plan(w.sec1, w.t.branch1)
    held_with_quorum(w, meeting)
    other = make_user("sec1b", "secretary", w.t.branch1)
    first, second = Client(), Client()
    first.force_login(w.sec1)
    second.force_login(other)
    url = reverse("meetings:minutes", args=[meeting.pk])
    version_1 = loaded_version(first.get(url).content.decode())
    version_2 = loaded_version(second.get(url).content.decode())

    assert first.post(url, minutes_data("甲记录的内容", []) | {"loaded_version": version_1}).status_code == 302
    refused = second.post(url, minutes_data("乙记录的内容", []) | {"loaded_version": version_2})
    assert refused.status_code == 200
    html = refused.content.decode()
    table = html[html.index('id="edit-conflict"') :]
    assert "已被他人修改" in html and "甲记录的内容" in table and "乙记录的内容" in table
    meeting.refresh_from_db()
    assert meeting.minutes == "<p>甲记录的内容</p>"


def test_the_later_amendment_of_locked_minutes_is_refused():
    w = make_world()
    meeting = plan(w.sec1, w.t.branch1)
    held_with_quorum(w, meeting)
    meeting_services.record_minutes(w.sec1, meeting.pk, "<p>原记录</p>", [])
    meeting_services.lock(w.sec1, meeting.pk)
    first, second = Client(), Client()
    first.force_login(w.sec1)
    second.force_login(make_user("sec1b", "secretary", w.t.branch1))
    url = reverse("meetings:amend", args=[meeting.pk])
    version_1 = loaded_version(first.get(url).content.decode())
    version_2 = loaded_version(second.get(url).content.decode())
    assert first.post(url, {"minutes": "甲的更正", "reason": "笔误", "loaded_version": version_1}).status_code == 302
    refused = second.post(url, {"minutes": "乙的更正", "reason": "补充", "loaded_version": version_2})
    assert refused.status_code == 200 and "甲的更正" in refused.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).minutes == "<p>甲的更正</p>"
    assert meeting.amendments.count() == 1
