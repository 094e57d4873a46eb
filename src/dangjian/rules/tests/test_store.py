"""The rule store: versions, effective dates, organisation overrides (nearest ancestor wins), audit, cache."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.development import services as development
from dangjian.development.rule_data import DEVELOPMENT_RULES
from dangjian.development.timeline import timeline
from dangjian.rules import services as store
from dangjian.rules.confidence import Confidence, is_regulation, label
from dangjian.rules.majority import more_than_half
from dangjian.rules.models import RuleVersion
from dangjian.talks.rule_data import TALKS_RULES
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db

WAIT = "activist.wait_after_application_months"
VISITS = "contact_point.min_visits_per_year"


@pytest.fixture
def world():
    t = make_tree()
    office = make_user("office", "office", t.root)
    sec = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    member = make_user("member", "member")
    return t, office, sec, member


def _version(key, value, start, org=None, version=1, **fields):
    return RuleVersion.objects.create(
        key=key,
        value=value,
        citation="本单位设置",
        confidence="L",
        effective_from=start,
        organization=org,
        version=version,
        **fields,
    )


def test_confidence_is_defined_once_with_user_words():
    assert [c.value for c in Confidence] == ["P", "Q", "S", "L", "U"]
    assert label("S") == "参考做法" and label("L") == "本单位设置" and label("U") == "待核实"
    assert is_regulation("P") and is_regulation("Q") and not is_regulation("L")


def test_more_than_half_is_strict():
    assert not more_than_half(5, 10) and more_than_half(6, 10) and more_than_half(1, 1) and not more_than_half(0, 0)


def test_the_code_default_answers_until_a_stored_version_starts(world):
    _version(VISITS, 4, date(2025, 1, 1))
    table = store.table(TALKS_RULES)
    assert table.value(VISITS, date(2024, 12, 31)) == 2  # the code default
    assert table.value(VISITS, date(2025, 1, 1)) == 4
    # P rules of the same table are untouched
    assert table.value("training.min_hours_per_year", date(2025, 6, 1)) == 32


def test_the_nearest_ancestors_override_wins(world):
    t, *_ = world
    _version(VISITS, 3, date(2020, 1, 1))
    _version(VISITS, 5, date(2020, 1, 1), org=t.general)
    _version(VISITS, 7, date(2020, 1, 1), org=t.branch1)
    on = date(2025, 6, 1)
    assert store.table(TALKS_RULES).value(VISITS, on) == 3  # the institute
    assert store.table(TALKS_RULES, t.root).value(VISITS, on) == 3
    assert store.table(TALKS_RULES, t.branch2).value(VISITS, on) == 5  # under the general branch
    assert store.table(TALKS_RULES, t.general).value(VISITS, on) == 5
    assert store.table(TALKS_RULES, t.branch1).value(VISITS, on) == 7  # its own, nearer than the general branch's
    assert store.table(TALKS_RULES, t.group1).value(VISITS, on) == 7  # inherited from branch1
    assert store.table(TALKS_RULES, t.office_branch).value(VISITS, on) == 3  # outside both subtrees
    assert store.table_for_org_id(TALKS_RULES, t.group1.pk).value(VISITS, on) == 7


def test_values_keep_their_type(world):
    _version("appraisal.excellent_share_max", "1/4", date(2020, 1, 1))
    from dangjian.appraisal.rule_data import APPRAISAL_RULES

    assert store.table(APPRAISAL_RULES).value("appraisal.excellent_share_max", date(2025, 1, 1)) == Fraction(1, 4)


def test_a_revision_is_a_new_version_and_is_audited(world):
    t, office, *_ = world
    today = timezone.localdate()
    first = store.revise(office, VISITS, 3, today, reason="加强调研")
    assert (first.version, first.value, first.effective_to, first.confidence) == (1, 3, None, "L")
    second = store.revise(office, VISITS, 4, today + timedelta(days=30), reason="再加强")
    first.refresh_from_db()
    assert first.effective_to == today + timedelta(days=30) and second.supersedes == first and second.version == 2
    assert store.table(TALKS_RULES).value(VISITS, today) == 3
    assert store.table(TALKS_RULES).value(VISITS, today + timedelta(days=30)) == 4
    assert store.table(TALKS_RULES).value(VISITS, today - timedelta(days=1)) == 2  # before: the default
    created = AuditEvent.objects.filter(object_type="rules.ruleversion", action="create").order_by("id")
    assert [e.detail["reason"] for e in created] == ["加强调研", "再加强"]
    assert AuditEvent.objects.filter(object_type="rules.ruleversion", action="update").count() == 1


def test_a_revision_is_validated_in_chinese(world):
    t, office, *_ = world
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="早于今天"):
        store.revise(office, VISITS, 3, today - timedelta(days=1))
    with pytest.raises(ValidationError, match="与当前数值相同"):
        store.revise(office, VISITS, 2, today)
    with pytest.raises(ValidationError, match="整数"):
        store.parse_value(VISITS, "两次")
    with pytest.raises(ValidationError, match="比例"):
        store.parse_value("appraisal.excellent_share_max", "2")
    store.revise(office, VISITS, 3, today + timedelta(days=5))
    with pytest.raises(ValidationError, match="须晚于当前版本"):
        store.revise(office, VISITS, 4, today + timedelta(days=5))


def test_regulation_is_not_editable(world):
    t, office, *_ = world
    assert not store.is_editable("training.min_hours_per_year")  # P
    assert not store.is_editable("applicant.min_age_years")  # Q
    with pytest.raises(ValidationError, match="条例规定"):
        store.revise(office, "training.min_hours_per_year", 40, timezone.localdate())


def test_only_rules_edit_may_revise_and_an_override_needs_the_organisation_in_scope(world):
    t, office, sec, member = world
    today = timezone.localdate()
    for user in (sec, member):
        with pytest.raises(Http404):
            store.revise(user, VISITS, 3, today)
    local = store.revise(office, VISITS, 6, today, organization=t.branch1, reason="一支部试点")
    assert local.organization == t.branch1 and local.version == 1
    assert store.table(TALKS_RULES, t.branch1).value(VISITS, today) == 6
    assert store.table(TALKS_RULES, t.branch2).value(VISITS, today) == 2


def test_the_store_is_read_once_per_request_scope(world):
    t, *_ = world
    _version(WAIT, 3, date(2020, 1, 1), org=t.branch1)
    with store.holding(), CaptureQueriesContext(connection) as ctx:
        for _ in range(50):
            store.table(DEVELOPMENT_RULES, t.branch1).value(WAIT, date(2025, 1, 1))
            store.table_for_org_id(DEVELOPMENT_RULES, t.branch1.pk).value(WAIT, date(2025, 1, 1))
    assert len(ctx.captured_queries) == 2  # the book, and branch1's path once


def test_changing_the_activist_waiting_period_changes_the_development_timeline(world):
    t, office, sec, member = world
    applicant = make_person("王小明", department=t.dept1, birth=date(1998, 5, 1))
    from dangjian.core import context

    with context.acting(sec):
        dev = development.open_case(sec, applicant.pk, t.branch1.pk, date(2024, 3, 15))
        development.record_step(sec, dev.pk, 1, {"done_on": date(2024, 3, 15)})
        development.record_step(sec, dev.pk, 2, {"done_on": date(2024, 3, 20)})

    def step3(today):
        return next(i for i in timeline(dev, today) if i.step.number == 3)

    assert step3(date(2024, 6, 20)).earliest is None  # a local rule: off until the office turns it on
    assert not step3(date(2024, 6, 20)).check.blocked
    _version("activist.wait_after_application_enabled", True, date(2020, 1, 1))
    assert step3(date(2024, 6, 20)).earliest == date(2024, 9, 15)  # the default: 6 months
    assert step3(date(2024, 6, 20)).check.blocked
    _version(WAIT, 3, date(2020, 1, 1))  # the institute sets 3 months
    assert step3(date(2024, 6, 20)).earliest == date(2024, 6, 15)
    assert not step3(date(2024, 6, 20)).check.blocked
    _version(WAIT, 12, date(2020, 1, 1), org=t.branch1)  # branch1's own setting overrides the institute's
    assert step3(date(2024, 6, 20)).earliest == date(2025, 3, 15)
    assert step3(date(2024, 6, 20)).check.blocked


def test_an_office_held_at_one_organisation_sets_overrides_for_its_subtree_only(world):
    t, office, *_ = world
    office_general = make_user("office_general", "office", t.general)
    today = timezone.localdate()
    assert store.may_edit(office) and not store.may_edit(office_general)  # institute-wide: the whole tree only
    with pytest.raises(Http404):
        store.revise(office_general, VISITS, 3, today)
    with pytest.raises(Http404):
        store.revise(office_general, VISITS, 3, today, organization=t.office_branch)  # outside its subtree
    mine = store.revise(office_general, VISITS, 5, today, organization=t.branch2, reason="本总支试点")
    assert mine.organization == t.branch2
    assert store.table(TALKS_RULES, t.branch2).value(VISITS, today) == 5
    assert store.table(TALKS_RULES, t.office_branch).value(VISITS, today) == 2


def test_paths_of_many_organisations_are_read_in_one_query_when_an_override_exists(world):
    t, *_ = world
    ids = [t.branch1.pk, t.branch2.pk, t.group1.pk, t.office_branch.pk]
    with store.holding():
        with CaptureQueriesContext(connection) as none:
            store.prefetch_paths(ids)  # the book only: no override, no path needed
        assert len(none.captured_queries) == 1
    _version(WAIT, 3, date(2020, 1, 1), org=t.general)
    with store.holding():
        store.book()
        with CaptureQueriesContext(connection) as ctx:
            store.prefetch_paths(ids)
            values = [store.table_for_org_id(DEVELOPMENT_RULES, i).value(WAIT, date(2025, 1, 1)) for i in ids]
        assert len(ctx.captured_queries) == 1
    assert values == [3, 3, 3, 6]
