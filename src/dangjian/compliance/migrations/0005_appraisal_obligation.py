"""民主评议党员 becomes an obligation (党员教育管理工作条例 2019 第18条): version 1 of ``compliance.obligation.branch.appraisal``
in the rule store, for databases migrated before it joined ``rule_data.MEETING_RULES`` (a new database gets it from
compliance 0002 and rules 0004; this migration then finds it and adds nothing)."""

from django.db import migrations

from dangjian.compliance.rule_data import MEETING_RULES

CODE = "branch.appraisal"
KEY = "compliance.obligation." + CODE
VALUE_DEFAULTS = {"condition": "", "required_count": 1, "counts_group_meetings": False, "active": True}
VALUE_FIELDS = ("title", "org_kind", "condition", "meeting_kind", "period", "required_count", "counts_group_meetings")


def add(apps, schema_editor):
    Version = apps.get_model("rules", "RuleVersion")
    if Version.objects.filter(key=KEY).exists():
        return
    data = {**VALUE_DEFAULTS, **next(r for r in MEETING_RULES if r["code"] == CODE)}
    Version.objects.create(
        key=KEY,
        version=1,
        value={f: data[f] for f in (*VALUE_FIELDS, "active")},
        citation=data["citation"],
        confidence=data["confidence"],
        note=data["note"],
        effective_from=data["effective_from"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0004_obligations_in_rule_store"),
        ("rules", "0004_move_obligations"),
    ]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
