"""Every registered fact provider: documented, one value per organisation and definition, queries independent of
the number of organisations."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.contributions import Period, definition, fact_definitions, fact_providers
from dangjian.facts.labels import INPUT_LABELS
from dangjian.orgs.models import Organization
from dangjian.testing import make_member, make_tree

pytestmark = pytest.mark.django_db
PERIOD = Period.year(2025)
EXPECTED_KEYS = {
    "meetings.members_meeting.held",
    "meetings.committee_meeting.held",
    "meetings.group_meeting.held",
    "meetings.lecture.held",
    "meetings.attendance_rate",
    "hours.members_under_32",
    "hours.met_rate",
    "talks.coverage",
    "compliance.rate",
    "compliance.three_meetings.rate",
    "compliance.theme_day.rate",
    "development.cases",
    "development.steps_overdue",
    "dues.arrears_members",
    "dues.paid_rate",
    "care.obligations_on_time_rate",
    "care.matters_on_time_rate",
    "appraisal.done",
    "transfers.pending",
    "transfers.on_time_rate",
    "transfers.lost_contact",
    "people.members",
    "health.screened",
}


def test_the_registry_holds_a_provider_of_every_app():
    assert set(fact_definitions()) >= EXPECTED_KEYS
    assert {app for app, _p in fact_providers()} >= {
        "meetings",
        "talks",
        "compliance",
        "development",
        "dues",
        "care",
        "appraisal",
        "transfers",
        "people",
        "health",
    }
    assert definition("compliance.rate").unit == "%"
    assert definition("no.such.fact") is None


def test_every_definition_says_its_label_unit_meaning_and_rule_in_chinese():
    keys = [d.key for _app, p in fact_providers() for d in p.definitions]
    assert len(keys) == len(set(keys)), "a key is registered twice"
    for d in fact_definitions().values():
        for text in (d.label, d.unit, d.meaning, d.rule):
            assert str(text).strip(), (d.key, text)
        shown = f"{d.label}{d.meaning}{d.rule}"
        assert "RULES.md" not in shown and "二手资料" not in shown, d.key
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(d.meaning)), d.key
        assert ("《" in str(d.rule)) or ("本单位设置" in str(d.rule)), (d.key, d.rule)
        if d.dimension:
            assert d.breakdown_labels, d.key
    assert all(d.aggregate_only for k, d in fact_definitions().items() if k.startswith("health."))


def _many_orgs(t, n: int) -> list[Organization]:
    for i in range(n):
        branch = Organization.objects.add_child(
            Organization.objects.get(pk=t.general.pk),
            dict(kind="branch", code=f"X{i:02}", name=f"加{i}支部", founded_on=date(2000, 1, 1)),
        )
        make_member(branch)
    return list(Organization.objects.order_by("path"))


def _queries(provider, orgs) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as ctx:
        values = list(provider.compute(orgs, PERIOD))
    return len(ctx.captured_queries), values


def test_each_provider_answers_every_organisation_in_the_same_queries_for_2_or_20():
    t = make_tree()
    make_member(t.branch1)
    orgs = _many_orgs(t, 14)
    assert len(orgs) == 20
    two = [o for o in orgs if o.pk in (t.branch1.pk, t.root.pk)]
    for app, provider in fact_providers():
        few, few_values = _queries(provider, two)
        many, many_values = _queries(provider, orgs)
        assert few == many, (app, type(provider).__name__, few, many)
        assert len(few_values) == 2 * len(provider.definitions)
        assert len(many_values) == 20 * len(provider.definitions)
        assert {(v.key, v.organization_id) for v in many_values} == {
            (d.key, o.pk) for d in provider.definitions for o in orgs
        }
        assert all(v.evidence_url.startswith("/") for v in many_values), app
        unlabelled = {k for v in many_values for k in v.inputs} - set(INPUT_LABELS)
        assert not unlabelled, (app, unlabelled)  # the facts page shows every input by its Chinese label
