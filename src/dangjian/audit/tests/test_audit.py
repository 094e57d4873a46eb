import pytest
from django.db import connection
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.audit.services import record, record_many, verify_chain
from dangjian.people import services as people_services
from dangjian.testing import login_with_second_factor, make_member, make_tree, make_user

pytestmark = pytest.mark.django_db


def test_every_write_records_actor_request_and_before_after(client):
    t = make_tree()
    p = make_member(t.branch1, "王五")
    sec = make_user("sec", "secretary", t.branch1)
    client.force_login(sec)
    response = client.post(
        reverse("people:edit", args=[p.pk]),
        {
            "name": "王五",
            "id_number": p.id_number,
            "ethnicity": "汉族",
            "employment": "staff",
            "political_status": "member",
            "post": "高级工程师",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.filter(object_type="people.person", object_id=str(p.pk), action="update").get()
    assert event.actor == sec
    assert event.request_id == response["X-Request-ID"]
    assert event.before["post"] == "" and event.after["post"] == "高级工程师"


def test_audit_rows_cannot_be_changed_or_deleted():
    event = record("export", None, object_type_label="x")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(actor_name="x")


def test_the_hash_chain_detects_an_edit_made_behind_the_applications_back():
    for i in range(3):
        record("export", None, object_type_label="x", object_repr=f"e{i}")
    record_many([{"action": "import", "object_type_label": "y", "object_repr": f"r{i}"} for i in range(5)])
    assert verify_chain() == (True, None)
    victim = AuditEvent.objects.order_by("id")[4]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["tampered", victim.pk])
    assert verify_chain() == (False, victim.pk)


def test_only_the_auditor_reads_the_log(client):
    t = make_tree()
    office = make_user("office", "office", t.root)
    auditor = make_user("aud", "auditor")
    record("export", None, object_type_label="people.person", object_repr="花名册导出")
    client.force_login(office)
    assert client.get(reverse("audit:log")).status_code == 404
    login_with_second_factor(client, auditor)
    html = client.get(reverse("audit:log") + "?action=export").content.decode()
    assert "花名册导出" in html
    assert "哈希链完整" in client.get(reverse("audit:verify")).content.decode()


def test_soft_delete_keeps_the_row_and_records_why():
    t = make_tree()
    p = make_member(t.branch1, "赵六")
    office = make_user("office", "office", t.root)
    people_services.delete_person(office, p.pk, "离职")
    from dangjian.people.models import Membership, Person

    assert not Person.objects.filter(pk=p.pk).exists()
    row = Person.all_objects.get(pk=p.pk)
    assert row.deleted_at is not None and row.deleted_by == office
    assert Membership.all_objects.get(person=p).ended_on is not None
    assert AuditEvent.objects.filter(action="delete", object_id=str(p.pk), detail__reason="离职").exists()
