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
