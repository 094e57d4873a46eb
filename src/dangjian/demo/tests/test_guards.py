from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from dangjian.demo.generator import DemoRefused, generate
from dangjian.orgs.models import Organization

pytestmark = pytest.mark.django_db


@override_settings(PRODUCTION=True)
def test_demo_command_refuses_in_production():
    with pytest.raises(CommandError, match="生产模式"):
        call_command("demo", "--scale", "institute")
    assert not Organization.objects.exists()


@override_settings(PRODUCTION=True)
def test_generate_refuses_in_production():
    with pytest.raises(DemoRefused, match="生产模式"):
        generate("institute")


def test_generate_rejects_unknown_scale():
    with pytest.raises(DemoRefused, match="未知的规模"):
        generate("planet")


def test_logins_without_demo_accounts_explains_how_to_create_an_admin(capsys):
    call_command("logins")
    out = capsys.readouterr().out
    assert "dangjian createadmin" in out
    assert "Demo@2026" not in out


def test_demo_command_builds_on_today_or_on_the_day_given(monkeypatch):
    from datetime import date

    from dangjian.demo.management.commands import demo as command

    days = []
    monkeypatch.setattr(command, "generate", lambda scale, seed, on=None: days.append(on) or {})
    monkeypatch.setattr(command, "figures", lambda counts: [])
    call_command("demo", "--scale", "institute")
    call_command("demo", "--scale", "institute", "--date", "2027-02-10")
    assert days == [None, date(2027, 2, 10)]  # None: generate dates the demo from today (spec.dated)
    with pytest.raises(CommandError, match="基准日应为"):
        call_command("demo", "--scale", "institute", "--date", "2027-13-01")
    assert not Organization.objects.exists()
