"""People lists sort by name as people expect (pinyin, numbers by value), in the database so pagination holds."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from dangjian.people.models import Person
from dangjian.testing import make_member, make_person, make_tree, make_user

PINYIN_ORDER = ["阿明", "李四", "林一", "王五", "张三", "赵六"]


def _names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


@pytest.mark.django_db
def test_the_people_list_sorts_names_by_pinyin(client):
    t = make_tree()
    office = make_user("office", "office", t.root)
    for name in ["赵六", "张三", "阿明", "王五", "林一", "李四"]:
        make_member(t.branch1, name)
    client.force_login(office)
    assert _names(client.get(reverse("people:list"))) == PINYIN_ORDER
    assert _names(client.get(reverse("people:list"), {"sort": "-name"})) == PINYIN_ORDER[::-1]


@pytest.mark.django_db
def test_the_key_follows_the_name_on_save_bulk_create_and_bulk_update():
    person = make_person("张三")
    person.name = "阿三"
    person.save(update_fields=["name"])
    person.refresh_from_db()
    assert person.sort_key.startswith("1a")
    twin = Person(name="赵二", sex="M", id_number="110105199001010012", birth_date=person.birth_date)
    Person.objects.bulk_create([twin])
    assert Person.objects.get(name="赵二").sort_key.startswith("1zhao4")
    twin = Person.objects.get(name="赵二")
    twin.name = "白二"
    Person.all_objects.bulk_update([twin], ["name"])
    assert Person.objects.get(pk=twin.pk).sort_key.startswith("1bai2")


@pytest.mark.django_db
def test_the_migration_fills_the_key_of_existing_people():
    for name in ["赵六", "阿明"]:
        make_person(name)
    Person.all_objects.update(sort_key="")
    import_module("dangjian.people.migrations.0006_person_sort_key").fill_sort_keys(apps, None)
    assert list(Person.objects.values_list("name", flat=True)) == ["阿明", "赵六"]
