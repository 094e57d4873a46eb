"""One definition of the people figures: what ``dangjian demo`` prints after loading is what the home page shows,
and ``make run`` prints the address it serves on."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from dangjian.demo.management.commands.demo import figures
from dangjian.people import home
from dangjian.people import services as people_services
from dangjian.testing import make_member, make_person, make_tree, make_user


@pytest.mark.django_db
def test_the_demo_summary_and_the_home_cards_count_the_same_people():
    t = make_tree()
    office = make_user("office", "office", t.root)
    make_member(t.branch1, "正一")
    make_member(t.branch2, "正二")
    make_member(t.branch1, "预一", status="probationary")
    make_person("群众", department=t.dept1)
    # political status still "member", but off the rolls: stopped (the decision ends the membership), moved out
    stopped = make_member(t.branch1, "停止党籍")
    people_services.end_membership(stopped, on=date(2025, 9, 1), reason="停止党籍（失联）", cause="suspended")
    make_person("转出", department=t.dept1, political_status="member")
    printed = dict(figures({}))
    cards = {str(card.label): card.value for card in home.summary(office, timezone.localdate())}
    assert cards == {"职工": 6, "正式党员": 2, "预备党员": 1}
    assert {label: printed[label] for label in cards} == cards


@pytest.mark.django_db
def test_the_people_list_behind_each_card_lists_the_counted_people(client):
    t = make_tree()
    office = make_user("office", "office", t.root)
    make_member(t.branch1, "正一")
    make_member(t.branch1, "预一", status="probationary")
    make_person("转出", department=t.dept1, political_status="member")
    client.force_login(office)
    for card in home.summary(office, timezone.localdate()):
        page = client.get(card.link).context["page"]
        assert page.paginator.count == card.value, card.label


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_prints_and_serves_the_port_it_is_given():
    root = Path(__file__).resolve().parents[4]
    out = subprocess.run(
        ["make", "-n", "run", "PORT=8100"], cwd=root, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "logins --url http://127.0.0.1:8100/" in out
    assert "--bind 127.0.0.1:8100" in out and "8000" not in out
