"""The operator's console import: ``dangjian import-roster FILE [--dry-run]``."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from dangjian.audit.models import AuditEvent
from dangjian.people.models import Person

from .test_roster_helpers import csv_bytes, member, row, xlsx

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_success_prints_progress_and_counts(tree, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([member(), row(公民身份号码="110105491231002")]))
    out, _ = _run(str(path))
    assert "进度 0%" in out and "进度 100%" in out
    assert "导入完成：共2行，已新增2人" in out
    assert "15位公民身份号码" in out
    assert Person.objects.count() == 2
    assert AuditEvent.objects.get(action="import").channel == "console"


def test_dry_run_writes_nothing(tree, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes([row()]))
    out, _ = _run(str(path), "--dry-run")
    assert "预检完成" in out and "将新增1人" in out
    assert not Person.objects.exists()


def test_errors_are_listed_and_the_exit_is_non_zero(tree, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([row(姓名=""), row(), member("不存在")]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现2处错误"):
        call_command("import_roster", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert "第2行 [姓名] 姓名不能为空" in lines
    assert "第4行 [所在党支部] 未找到党支部「不存在」" in lines
    assert not Person.objects.exists()


def test_file_level_error(tree, tmp_path):
    path = tmp_path / "roster.txt"
    path.write_bytes(b"x")
    with pytest.raises(CommandError, match="不支持的文件类型"):
        _run(str(path))
    with pytest.raises(CommandError, match="无法读取文件"):
        _run(str(tmp_path / "missing.xlsx"))
