"""A branch secretary records a hospitalisation, sees the visit it creates on the to-do list, closes it with
a follow-up (first without saying what was done, refused in Chinese) and finds the follow-up open."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.care.models import Obligation
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    # transactional tests flush the tables, including the lines migration 0002 shipped and their terms (rules 0003)
    from dangjian.care.models import CareRule
    from dangjian.care.rule_data import DEFAULT_RULES
    from dangjian.care.rule_terms import SHIPPED_FROM, value_of
    from dangjian.rules.models import RuleVersion

    for trigger, kind, responsible, days, confidence, source in DEFAULT_RULES:
        line, _created = CareRule.objects.get_or_create(trigger=trigger, kind=kind, responsible=responsible)
        RuleVersion.objects.get_or_create(
            key=line.key,
            version=1,
            organization=None,
            defaults=dict(
                value=value_of(days, True), citation=source, confidence=confidence, effective_from=SHIPPED_FROM
            ),
        )
    t = make_tree()
    secretary = make_member(t.branch1, "林书记", department=t.dept1)
    member = make_member(t.branch1, "周职工", department=t.dept1)
    user = make_user("sec1", "secretary", t.branch1, person=secretary)
    return t, member, user


def test_a_secretary_records_an_event_and_closes_the_visit(page, live_server, world):
    t, member, user = world
    base = live_server.url
    today = timezone.localdate()
    login(page, base, "sec1", PASSWORD)

    page.goto(f"{base}/care/events/new/")
    page.fill("#id_person", member.id_number)
    page.select_option("#id_kind", value="illness")
    page.fill("#id_occurred_on", f"{today - timedelta(days=1):%Y-%m-%d}")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "生成1项关怀事项" in page.content() and "必访" in page.content()

    page.goto(f"{base}/care/obligations/?mine=on")
    assert "周职工" in page.content()
    page.click("text=周职工")
    page.wait_for_load_state()
    page.check("#id_follow_up_needed")
    page.fill("#id_follow_up_on", f"{today + timedelta(days=14):%Y-%m-%d}")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("form.form ul.errorlist").count() == 1  # 办理情况 is required
    assert not Obligation.objects.filter(status="closed").exists()

    page.fill("#id_what_done", "到医院看望，送去慰问品")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "按期办结" in page.content()
    follow = Obligation.objects.get(follow_up_of__isnull=False)
    assert follow.status == "open" and follow.due_on == today + timedelta(days=14)
