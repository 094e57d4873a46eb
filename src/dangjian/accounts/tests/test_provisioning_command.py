"""``dangjian accounts-from-roster``: the operator opens member accounts at the console (issue 13 §1)."""

from __future__ import annotations

import io
import stat

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from dangjian.accounts.models import User
from dangjian.audit.models import AuditEvent
from dangjian.cli import main
from dangjian.testing import make_member, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    t = personas.tree
    return personas, make_member(t.branch1, "张三", department=t.dept1), make_person("赵六", department=t.dept1)


def test_the_console_knows_the_command_by_its_dashed_name(capsys):
    with pytest.raises(SystemExit):
        main(["dangjian", "accounts-from-roster", "--help"])
    assert "--organization" in capsys.readouterr().out


def test_the_command_opens_accounts_and_writes_the_sheet_for_the_operator_only(world, tmp_path):
    personas, zhang, staff = world
    out = tmp_path / "accounts.xlsx"
    stdout = io.StringIO()
    call_command("accounts_from_roster", organization="T011", out=str(out), stdout=io.StringIO())
    call_command("accounts_from_roster", organization="T011", out=str(out), stdout=stdout)  # again: nothing new
    assert "已开通 0 个账号" in stdout.getvalue() and "已有账号：3 人" in stdout.getvalue()
    user = User.objects.get(person=zhang)
    assert user.must_change_password and not User.objects.filter(person=staff).exists()
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(user.pk), action="create")
    assert event.actor is None and event.channel == "console"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # the file holds passwords
    # the first run's sheet was replaced by the second (empty) one: run once more on a fresh member to read one
    make_member(personas.tree.branch1, "李四", department=personas.tree.dept1)
    call_command("accounts_from_roster", organization="T011", out=str(out), stdout=io.StringIO())
    sheet = load_workbook(out)["一支部"]
    row = [c.value for c in next(sheet.iter_rows(min_row=3))]
    assert row[1] == "李四" and User.objects.get(username=row[2]).check_password(row[3])
    assert "李四" in [c.text for c in Document(out.with_suffix(".docx")).tables[0].rows[1].cells]


def test_employees_and_dry_run(world, tmp_path):
    personas, zhang, staff = world
    out = tmp_path / "preview.xlsx"
    stdout = io.StringIO()
    call_command("accounts_from_roster", organization="T011", employees=True, dry_run=True, out=str(out), stdout=stdout)
    assert "将开通 2 个账号（未写入）" in stdout.getvalue()
    assert not User.objects.filter(person__in=[zhang, staff]).exists()
    sheet = load_workbook(out)["一支部"]
    assert "预览" in sheet["A1"].value
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert {r[1] for r in rows} == {"张三", "赵六"} and all(r[3] is None for r in rows)  # no passwords
    assert not out.with_suffix(".docx").exists()


def test_an_unknown_organisation_or_a_wrong_file_is_refused(world, tmp_path):
    with pytest.raises(CommandError, match="没有代码为 NOPE 的党组织"):
        call_command("accounts_from_roster", organization="NOPE", out=str(tmp_path / "a.xlsx"))
    with pytest.raises(CommandError, match=r"\.xlsx"):
        call_command("accounts_from_roster", organization="T011", out=str(tmp_path / "a.csv"))
    assert not User.objects.filter(must_change_password=True).exists()
