"""The lost-contact words name the months and years of the rules in force, not literals (党员教育管理工作条例
（2019）第24条: "党员失去联系6个月以上…应当停止其党籍"; "停止党籍2年后确实无法取得联系的，按照自行脱党予以除名").

The rules are read through the rule store, so a version stored there changes the flags, the due dates, the filter
choices, the refusal messages and the fact's rule text together.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.core import context
from dangjian.rules import services as rule_store
from dangjian.testing import make_member
from dangjian.transfers import lost, rules
from dangjian.transfers.facts import TransferFacts
from dangjian.transfers.forms import LostFilterForm

pytestmark = pytest.mark.django_db


def _fact_rule() -> str:
    (definition,) = [d for d in TransferFacts.definitions if d.key == "transfers.lost_contact"]
    return str(definition.rule)


def test_the_flags_read_the_2019_rule():
    today = timezone.localdate()
    assert lost.flag_label("suspend_due", today) == "失联满6个月，待作出停止党籍决定"
    assert lost.flag_label("removal_due", today) == "停止党籍满2年，待作出除名决定"
    assert lost.flag_label(None, today) is None
    choices = dict(LostFilterForm(today=today).fields["flag"].choices)
    assert choices["suspend_due"] == "失联满6个月" and choices["removal_due"] == "停止党籍满2年"
    assert "失去联系满6个月停止党籍，停止党籍满2年按自行脱党除名" in _fact_rule()


def test_a_version_in_the_rule_store_renames_the_flags_and_moves_the_due_dates(world):
    today = timezone.localdate()
    with context.acting(world.office):
        rule_store.add_version(
            world.office, rules.SUSPEND_MONTHS, 3, today, citation="修订后的条例 第24条", confidence="P"
        )
        rule_store.add_version(
            world.office, rules.REMOVE_YEARS, 1, today, citation="修订后的条例 第24条", confidence="P"
        )
    assert lost.flag_label("suspend_due", today) == "失联满3个月，待作出停止党籍决定"
    assert lost.flag_label("removal_due", today) == "停止党籍满1年，待作出除名决定"
    choices = dict(LostFilterForm(today=today).fields["flag"].choices)
    assert choices["suspend_due"] == "失联满3个月" and choices["removal_due"] == "停止党籍满1年"
    assert "失去联系满3个月停止党籍，停止党籍满1年按自行脱党除名" in _fact_rule()
    # the words and the dates follow the same value: 3 months from today is the suspension day
    assert rules.suspension_due_on(today) == rules.add_months(today, 3)
    # a decision asked for too early names the stored months and cites the stored version
    case = lost.open_case(world.sec1, make_member(world.t.branch1, "失联甲").pk, last_contact_on=today)
    with pytest.raises(ValidationError) as refused:
        lost.decide(
            world.sec1,
            case.pk,
            "suspend",
            {"decided_on": today, "decided_by": "所党委", "document_ref": "1"},
        )
    assert "未满3个月" in str(refused.value) and "修订后的条例 第24条" in str(refused.value)
    # the day before the version, the 2019 rule still names the flags
    assert lost.flag_label("suspend_due", today - timedelta(days=1)) == "失联满6个月，待作出停止党籍决定"
