"""The default obligations of RULES.md §1 and the engine's settings, as version 1 of each rule."""

from datetime import date

from django.db import migrations

from dangjian.compliance.rule_data import MEETING_RULES

# The defaults live in code, where a newcomer looks for them (compliance/rule_data.py, with the articles cited).
RULES = MEETING_RULES
SINCE_2018 = date(2018, 10, 28)

SETTINGS = [
    dict(key="minutes_days", value=7, note="会议召开后超过该天数仍未完成会议记录的，列为逾期。"),
    dict(key="due_soon_days", value=7, note="周期剩余天数不超过该值且尚未召开的，显示为即将到期。"),
    dict(key="late_window_days", value=92, note="支部书记的待办中保留周期结束不超过该天数的逾期事项。"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("compliance", "ObligationRule")
    Setting = apps.get_model("compliance", "ComplianceSetting")
    for data in RULES:
        # is_local is derived in ObligationRule.save(), which historical models do not run.
        Rule.objects.create(version=1, is_local=data["confidence"] not in ("P", "Q"), **data)
    for data in SETTINGS:
        Setting.objects.create(version=1, citation="本单位设置", confidence="L", effective_from=SINCE_2018, **data)


def unseed(apps, schema_editor):
    apps.get_model("compliance", "ObligationRule").objects.filter(version=1, created_by__isnull=True).delete()
    apps.get_model("compliance", "ComplianceSetting").objects.filter(version=1, created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
