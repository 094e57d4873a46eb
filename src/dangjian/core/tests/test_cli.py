import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangjian.accounts.models import RoleAssignment, User
from dangjian.audit.models import AuditEvent
from dangjian.audit.services import verify_chain
from dangjian.orgs import services as org_services
from dangjian.people.models import Person
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def dump() -> dict:
    out = io.StringIO()
    call_command("dumpdata", exclude=["contenttypes", "auth.permission", "sessions", "axes"], stdout=out)
    rows = json.loads(out.getvalue())
    return {(r["model"], r["pk"]): r["fields"] for r in rows}


def test_backup_then_restore_loses_nothing(tmp_path):
    t = make_tree()
    make_member(t.branch1, "备份甲", phone="13800000001")
    office = make_user("office", "office", t.root)
    org_services.dissolve_organization(
        office, t.office_branch.pk, t.office_branch.founded_on.replace(year=2020), "调整"
    )
    path = tmp_path / "db.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    before = dump()
    Person.objects.filter(name="备份甲").update(name="被改")
    make_member(t.branch2, "新来的")
    call_command("restore", str(path), "--yes", stdout=io.StringIO())
    after = dump()
    # the restore appends its own audit event; everything else is identical
    extra = {k for k in after.keys() - before.keys() if k[0] == "audit.auditevent"}
    assert len(extra) == 1
    assert {k: v for k, v in after.items() if k not in extra and k[0] != "audit.auditchainhead"} == {
        k: v for k, v in before.items() if k[0] != "audit.auditchainhead"
    }
    assert verify_chain() == (True, None)
    assert Person.objects.get(name="备份甲")


def test_restore_keeps_times_to_the_microsecond(tmp_path):
    # Django's own JSON stops at the millisecond; a time within the first millisecond of a second
    # then came back written differently and every other one lost its last three digits.
    t = make_tree()
    first = make_member(t.branch1, "时刻甲")
    second = make_member(t.branch1, "时刻乙")
    stamps = {
        first.pk: datetime.datetime(2026, 3, 1, 8, 0, 0, 412, tzinfo=datetime.UTC),
        second.pk: datetime.datetime(2026, 3, 1, 8, 0, 0, 123456, tzinfo=datetime.UTC),
    }
    for pk, stamp in stamps.items():
        Person.objects.filter(pk=pk).update(created_at=stamp)
    path = tmp_path / "db.json"
    call_command("backup", str(path), stdout=io.StringIO())
    Person.objects.filter(pk__in=stamps).update(created_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    call_command("restore", str(path), "--yes", stdout=io.StringIO())
    assert dict(Person.objects.filter(pk__in=stamps).values_list("pk", "created_at")) == stamps


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "nope.json"), "--yes")


def test_createadmin_enforces_the_password_policy_and_grants_the_role(monkeypatch):
    monkeypatch.setenv("DANGJIAN_ADMIN_PASSWORD", "weakpass")
    with pytest.raises(CommandError, match="密码"):
        call_command("createadmin", "--username", "root1")
    monkeypatch.setenv("DANGJIAN_ADMIN_PASSWORD", "Strong@Pass2026")
    call_command("createadmin", "--username", "root1", "--role", "secadmin", stdout=io.StringIO())
    user = User.objects.get(username="root1")
    assert user.check_password("Strong@Pass2026")
    assert RoleAssignment.objects.get(user=user).role == "secadmin"
    assert AuditEvent.objects.filter(action="grant", channel="cli").exists()


def test_the_console_command_maps_dashes_to_underscores(capsys):
    from dangjian.cli import main

    with pytest.raises(SystemExit):
        main(["dangjian", "import-roster", "--help"])
    assert "FILE" in capsys.readouterr().out.upper()
