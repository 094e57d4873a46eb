"""The compliance settings move into the rule store with their history; care rules keep their lines."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.audit.services import record
from dangjian.core.context import acting
from dangjian.testing import make_user

BEFORE = [
    ("compliance", "0002_seed_rules"),
    ("rules", "0001_initial"),
    ("care", "0003_encrypt_hardship_reason_and_event_description"),
]
OLD_SOURCE = "RULES.md §5：各单位公开的“五必访”常见清单（二手资料，组织自定）"
AFTER = [("compliance", "0003_settings_in_rule_store"), ("care", "0004_rule_confidence_once")]


@pytest.mark.django_db(transaction=True)
def test_old_setting_versions_become_rule_versions_and_care_sources_read_as_words():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Setting = old_apps.get_model("compliance", "ComplianceSetting")
    CareRule = old_apps.get_model("care", "CareRule")
    office = make_user("office_old", "office")
    # the seeded version 1 (made again if an earlier transactional test flushed the tables) ...
    v1, _created = Setting.objects.get_or_create(
        key="minutes_days",
        version=1,
        defaults=dict(value=7, citation="本单位设置", confidence="L", effective_from=date(2018, 10, 28)),
    )
    # ... and an edit made before the move: version 1 closed, version 2 by the office
    v1.effective_to = date(2025, 3, 1)
    v1.save()
    v2 = Setting.objects.create(
        key="minutes_days",
        version=2,
        value=5,
        citation="本单位设置",
        confidence="L",
        note="从严",
        effective_from=date(2025, 3, 1),
        supersedes_id=v1.pk,
        created_by_id=office.pk,
    )
    CareRule.objects.get_or_create(
        trigger="illness",
        kind="visit",
        responsible="secretary",
        defaults=dict(deadline_days=3, confidence="S", source=OLD_SOURCE, organisation_setting=True),
    )
    assert CareRule.objects.filter(source__startswith="RULES.md").exists()

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    # the care list as it stood at AFTER (its terms moved to the store later, by rules 0003)
    NewCareRule = executor.loader.project_state(AFTER).apps.get_model("care", "CareRule")
    from dangjian.compliance.engine import settings_on
    from dangjian.rules.models import RuleVersion

    versions = list(RuleVersion.objects.filter(key="compliance.minutes_days").order_by("version"))
    assert [(v.version, v.value, v.effective_from, v.effective_to) for v in versions] == [
        (1, 7, date(2018, 10, 28), date(2025, 3, 1)),
        (2, 5, date(2025, 3, 1), None),
    ]
    assert versions[1].supersedes == versions[0] and versions[1].created_by_id == office.pk
    assert versions[1].origin == f"compliance.compliancesetting:{v2.pk}" and versions[1].note == "从严"
    assert settings_on(date(2025, 2, 28))["minutes_days"] == 7
    assert settings_on(date(2025, 3, 1)) == {"minutes_days": 5, "due_soon_days": 7, "late_window_days": 92}
    assert not NewCareRule.objects.filter(source__contains="RULES.md").exists()
    assert not NewCareRule.objects.filter(source__contains="二手资料").exists()
    call_command("migrate", verbosity=0)  # leave the schema as the other tests expect it


CARE_BEFORE = [("rules", "0002_move_compliance_settings"), ("care", "0004_rule_confidence_once")]
CARE_AFTER = [("care", "0005_care_terms_in_rule_store")]


@pytest.mark.django_db(transaction=True)
def test_care_terms_become_version_1_with_the_lines_audit_trail_findable():
    executor = MigrationExecutor(connection)
    executor.migrate(CARE_BEFORE)
    old_apps = executor.loader.project_state(CARE_BEFORE).apps
    CareRule = old_apps.get_model("care", "CareRule")
    office = make_user("office_care", "office")
    # a shipped line the office edited before the move (made again if a transactional test flushed the list) ...
    edited, _created = CareRule.objects.get_or_create(
        trigger="illness", kind="visit", responsible="secretary", defaults=dict(deadline_days=3, confidence="S")
    )
    CareRule.objects.filter(pk=edited.pk).update(deadline_days=2, active=False, source="本所关怀办法", confidence="L")
    with acting(office):  # the edit's audit entry, as the old care service wrote it
        record("update", edited, before={"deadline_days": 3}, after={"deadline_days": 2})
    # ... and a line with no source
    bare, _created = CareRule.objects.get_or_create(
        trigger="holiday", kind="ask", responsible="care_officer", defaults=dict(deadline_days=0, confidence="L")
    )
    CareRule.objects.filter(pk=bare.pk).update(source="")
    lines = CareRule.objects.count()

    executor = MigrationExecutor(connection)
    executor.migrate(CARE_AFTER)
    from dangjian.care import services
    from dangjian.care.models import CareRule as NewCareRule
    from dangjian.care.rule_terms import terms_on
    from dangjian.rules.models import RuleVersion
    from dangjian.rules.services import book

    assert NewCareRule.objects.count() == lines
    assert RuleVersion.objects.filter(key__startswith="care.rule.").count() == lines
    v = RuleVersion.objects.get(key="care.rule.illness.visit.secretary")
    assert (v.version, v.value, v.citation, v.confidence) == (
        1,
        {"deadline_days": 2, "active": False},
        "本所关怀办法",
        "L",
    )
    assert (v.effective_from, v.effective_to, v.created_by_id) == (date(2000, 1, 1), None, office.pk)
    # the origin names the line, and the audit entries about the line are found through it
    object_type, object_id = v.origin.split(":")
    trail = AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
    assert object_type == "care.carerule" and trail.filter(after={"deadline_days": 2}).exists()
    bare_v = RuleVersion.objects.get(key="care.rule.holiday.ask.care_officer")
    assert bare_v.citation == "本单位设置" and bare_v.created_by_id is None
    # the engine and the edit page read the moved terms
    line = NewCareRule.objects.get(pk=edited.pk)
    assert terms_on(book(), line, date(2010, 1, 1)).active is False
    assert services.latest_terms(line) == {
        "deadline_days": 2,
        "active": False,
        "confidence": "L",
        "source": "本所关怀办法",
    }

    # and back: the columns return with the latest version's terms
    executor = MigrationExecutor(connection)
    executor.migrate(CARE_BEFORE)
    back = executor.loader.project_state(CARE_BEFORE).apps.get_model("care", "CareRule").objects.get(pk=edited.pk)
    assert (back.deadline_days, back.active, back.source, back.confidence) == (2, False, "本所关怀办法", "L")
    assert not RuleVersion.objects.filter(key__startswith="care.rule.").exists()
    call_command("migrate", verbosity=0)  # leave the schema as the other tests expect it


OBLIGATIONS_BEFORE = [("rules", "0003_move_care_rules"), ("compliance", "0003_settings_in_rule_store")]
OBLIGATIONS_AFTER = [("rules", "0004_move_obligations")]
FIELDS = ("title", "org_kind", "condition", "meeting_kind", "period", "required_count", "counts_group_meetings")
DATES = [date(2018, 1, 1), date(2018, 10, 28), date(2019, 6, 1), date(2025, 2, 28), date(2025, 3, 1), date(2031, 1, 1)]


def _in_force(rows, on):
    """(code, version, terms…) of every version in force on ``on``: what the engine reads."""
    return sorted(
        (r["code"], r["version"], *(r[f] for f in FIELDS), r["active"], r["citation"], r["confidence"], r["note"])
        for r in rows
        if r["effective_from"] <= on and (r["effective_to"] is None or on < r["effective_to"])
    )


@pytest.mark.django_db(transaction=True)
def test_obligations_move_into_the_store_with_their_history_and_give_the_same_rules_on_every_date():
    executor = MigrationExecutor(connection)
    executor.migrate(OBLIGATIONS_BEFORE)
    Rule = executor.loader.project_state(OBLIGATIONS_BEFORE).apps.get_model("compliance", "ObligationRule")
    office = make_user("office_obl", "office")
    if not Rule.objects.filter(code="branch.lecture").exists():  # seeded by compliance 0002 unless flushed
        from dangjian.compliance.rule_data import MEETING_RULES

        for data in MEETING_RULES:
            Rule.objects.create(version=1, is_local=data["confidence"] not in ("P", "Q"), **data)
    # before the move: the office made the lecture monthly from 2025-03-01 and added a local rule, later switched off
    v1 = Rule.objects.get(code="branch.lecture", version=1)
    v1.effective_to = date(2025, 3, 1)
    v1.save()
    v2 = Rule.objects.create(
        **{f: getattr(v1, f) for f in ("code", "title", "org_kind", "meeting_kind", "citation", "confidence")},
        version=2,
        period="month",
        note="党委决定每月一课",
        effective_from=date(2025, 3, 1),
        supersedes=v1,
        created_by_id=office.pk,
        is_local=True,
    )
    local = dict(code="local.committee.central_group_study", title="中心组学习", org_kind="committee")
    local.update(meeting_kind="central_group_study", period="quarter", citation="本所规定", confidence="L")
    s1 = Rule.objects.create(**local, version=1, effective_from=date(2019, 6, 1), effective_to=date(2031, 1, 1))
    Rule.objects.create(
        **local, version=2, active=False, effective_from=date(2031, 1, 1), supersedes=s1, created_by_id=office.pk
    )
    old_rows = list(Rule.objects.values())
    before = {on: _in_force(old_rows, on) for on in DATES}
    count = len(old_rows)

    executor = MigrationExecutor(connection)
    executor.migrate(OBLIGATIONS_AFTER)
    from dangjian.compliance import obligations
    from dangjian.rules.models import RuleVersion
    from dangjian.rules.services import load

    book = load()
    moved = obligations.every_version(book)
    assert len(moved) == count
    for on in DATES:
        now = [
            {**t.value(), "code": t.code, "version": t.version, "citation": t.citation}
            | {"confidence": t.confidence, "note": t.note, "effective_from": t.effective_from}
            | {"effective_to": t.effective_to}
            for t in moved
        ]
        assert _in_force(now, on) == before[on], on
    # the chain, the author, the origin of each version
    new_v1, new_v2 = RuleVersion.objects.filter(key="compliance.obligation.branch.lecture").order_by("version")
    assert new_v2.supersedes_id == new_v1.pk and new_v2.created_by_id == office.pk and new_v1.created_by_id is None
    assert (new_v1.origin, new_v2.origin) == (
        f"compliance.obligationrule:{v1.pk}",
        f"compliance.obligationrule:{v2.pk}",
    )
    assert new_v2.value["period"] == "month" and new_v2.citation == v1.citation
    in_2031 = {t.code: t for t in obligations.overlapping(book, date(2031, 1, 1), date(2031, 1, 1))}
    assert not in_2031["local.committee.central_group_study"].active and in_2031["branch.lecture"].period == "month"

    # and back: the old table gets every version again, the store none
    executor = MigrationExecutor(connection)
    executor.migrate(OBLIGATIONS_BEFORE)
    Back = executor.loader.project_state(OBLIGATIONS_BEFORE).apps.get_model("compliance", "ObligationRule")
    assert {on: _in_force(list(Back.objects.values()), on) for on in DATES} == before
    assert not RuleVersion.objects.filter(key__startswith="compliance.obligation.").exists()
    call_command("migrate", verbosity=0)


CORRECT_BEFORE = [("rules", "0004_move_obligations")]
CORRECT_AFTER = [("rules", "0005_obligation_texts_as_the_articles_read")]
OLD_QUORUM_NOTE = "支部党员大会一般每季度召开1次；有表决权的到会人数须超过应到会人数的半数，会议方可召开。"
OLD_LECTURE_CITATION = "本单位规定（支部工作条例要求党支部书记每年至少讲1次党课）"
OLD_LECTURE_NOTE = "按季度上党课是本单位设置（常见做法，默认启用），可由党委办公室停用或修改。"


def _shipped(code: str):
    """Version 1 of a shipped obligation as a database seeded before the correction holds it."""
    from dangjian.compliance.rule_data import MEETING_RULES
    from dangjian.rules.models import RuleVersion

    (data,) = [r for r in MEETING_RULES if r["code"] == code]
    value = {f: data[f] for f in ("title", "org_kind", "meeting_kind", "period")}
    value.update(condition=data.get("condition", ""), required_count=1, active=True)
    value.update(counts_group_meetings=data.get("counts_group_meetings", False))
    version, _created = RuleVersion.objects.get_or_create(
        key=f"compliance.obligation.{code}",
        version=1,
        organization=None,
        defaults=dict(
            value=value, citation=data["citation"], confidence=data["confidence"], effective_from=data["effective_from"]
        ),
    )
    return version


@pytest.mark.django_db(transaction=True)
def test_stored_obligations_get_the_articles_words_as_a_new_version_and_keep_the_old_one():
    """支部工作条例 art. 11:
    "表决必须有半数以上有表决权的党员到会方可进行，赞成人数超过应到会有表决权的党员的半数为通过";
    the 三会一课 article: "党委（党组）书记每年至少讲1次党课". A database seeded before the code was corrected
    keeps its old version 1 (never rewritten); the migration adds a version with the article's words from the
    day it runs."""
    from dangjian.compliance import obligations
    from dangjian.compliance.rule_data import MEETING_RULES
    from dangjian.rules.models import RuleVersion
    from dangjian.rules.services import load

    executor = MigrationExecutor(connection)
    executor.migrate(CORRECT_BEFORE)
    office = make_user("office_fix", "office")
    today = timezone.localdate()
    # the members' meeting as seeded before the correction: version 1 with the old quorum words
    quorum = _shipped("branch.members_meeting")
    RuleVersion.objects.filter(key=quorum.key).exclude(pk=quorum.pk).update(supersedes=None)
    RuleVersion.objects.filter(key=quorum.key).exclude(pk=quorum.pk).delete()
    RuleVersion.objects.filter(pk=quorum.pk).update(note=OLD_QUORUM_NOTE, effective_to=None)
    # the lecture: version 1 with the old citation, then the office's own version 2 (monthly, note copied)
    lecture = _shipped("branch.lecture")
    RuleVersion.objects.filter(key=lecture.key).exclude(pk=lecture.pk).update(supersedes=None)
    RuleVersion.objects.filter(key=lecture.key).exclude(pk=lecture.pk).delete()
    office_from = date(2025, 3, 1)
    RuleVersion.objects.filter(pk=lecture.pk).update(
        citation=OLD_LECTURE_CITATION, note=OLD_LECTURE_NOTE, effective_to=office_from
    )
    own = RuleVersion.objects.create(
        key=lecture.key,
        version=2,
        value={**lecture.value, "period": "month"},
        citation="本所党委决定",
        confidence="L",
        note=OLD_LECTURE_NOTE,
        effective_from=office_from,
        supersedes=lecture,
        created_by=office,
    )
    rows_before = {
        r.pk: (r.value, r.citation, r.note, r.effective_from)
        for r in RuleVersion.objects.filter(key__in=[quorum.key, lecture.key])
    }

    executor = MigrationExecutor(connection)
    executor.migrate(CORRECT_AFTER)
    (code_quorum,) = [r for r in MEETING_RULES if r["code"] == "branch.members_meeting"]
    (code_lecture,) = [r for r in MEETING_RULES if r["code"] == "branch.lecture"]
    new_quorum = RuleVersion.objects.get(key=quorum.key, version=2)
    assert new_quorum.note == code_quorum["note"] and "半数以上" in new_quorum.note
    assert (new_quorum.effective_from, new_quorum.effective_to, new_quorum.supersedes_id) == (today, None, quorum.pk)
    assert (new_quorum.value, new_quorum.citation, new_quorum.confidence) == (quorum.value, quorum.citation, "Q")
    new_lecture = RuleVersion.objects.get(key=lecture.key, version=3)
    # the office's citation and monthly period stay; only the copied shipped note is corrected
    assert (new_lecture.citation, new_lecture.value["period"]) == ("本所党委决定", "month")
    assert new_lecture.note == code_lecture["note"] and new_lecture.supersedes_id == own.pk
    # the old rows are the same rows with the same words; only the version in force was closed today
    for r in RuleVersion.objects.filter(pk__in=rows_before):
        assert (r.value, r.citation, r.note, r.effective_from) == rows_before[r.pk]
    assert RuleVersion.objects.get(pk=quorum.pk).effective_to == today
    assert RuleVersion.objects.get(pk=own.pk).effective_to == today
    # the engine reads the new words today and the old ones for the days before
    book = load()
    in_force = {t.code: t for t in obligations.overlapping(book, today, today)}
    assert in_force["branch.members_meeting"].note == code_quorum["note"]
    before = {t.code: t for t in obligations.overlapping(book, date(2024, 1, 1), date(2024, 1, 1))}
    assert before["branch.members_meeting"].note == OLD_QUORUM_NOTE
    # a database already holding the corrected words gets nothing more
    executor = MigrationExecutor(connection)
    executor.migrate(CORRECT_BEFORE)
    assert not RuleVersion.objects.filter(pk__in=[new_quorum.pk, new_lecture.pk]).exists()
    assert RuleVersion.objects.get(pk=quorum.pk).effective_to is None
    assert RuleVersion.objects.get(pk=own.pk).effective_to is None
    RuleVersion.objects.filter(pk=quorum.pk).update(note=code_quorum["note"])
    RuleVersion.objects.filter(pk=own.pk).update(note=code_lecture["note"])
    call_command("migrate", verbosity=0)
    assert not RuleVersion.objects.filter(key__in=[quorum.key, lecture.key], version__gt=2).exists()
    assert not RuleVersion.objects.filter(key=quorum.key, version=2).exists()
