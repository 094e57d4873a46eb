"""A local rule's message names its source once: "…（本单位设置）", not "…（本单位设置）（本单位设置）"."""

from __future__ import annotations

import dataclasses
from datetime import date

from dangjian.core.ruletable import RuleTable
from dangjian.development import rules
from dangjian.development.rule_data import DEVELOPMENT_RULES


def _on(**values) -> RuleTable:
    rows = [
        dataclasses.replace(r, value=values.get(r.key, r.value))
        for key in DEVELOPMENT_RULES.keys()  # noqa: SIM118 — a rule table, not a dict
        for r in DEVELOPMENT_RULES.versions(key)
    ]
    return RuleTable(rows)


def _shown(check) -> str:
    """As the services, forms and timeline show a check: its reason, then its citation in brackets."""
    return f"{check.reason}（{check.citation}）"


def test_the_activist_wait_refusal_names_the_local_setting_once():
    table = _on(**{"activist.wait_after_application_enabled": True})
    refused = rules.activist_wait_ok(date(2024, 1, 15), date(2024, 7, 14), table=table)
    assert refused.blocked
    assert _shown(refused).count("本单位设置") == 1
    assert _shown(refused).endswith("方可确定为入党积极分子（本单位设置）")


def test_the_meeting_after_pre_review_messages_name_the_local_setting_once():
    table = _on(**{"admission.meeting_after_pre_review_enabled": True})
    late = rules.meeting_after_pre_review_ok(date(2025, 1, 31), date(2025, 3, 1), table=table)
    in_time = rules.meeting_after_pre_review_ok(date(2025, 1, 31), date(2025, 2, 28), table=table)
    assert _shown(late).count("本单位设置") == 1 and _shown(in_time).count("本单位设置") == 1
