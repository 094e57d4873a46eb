"""The compliance settings move into the rule store with their history; care rules keep their lines."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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
    from dangjian.care.models import CareRule as NewCareRule
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
