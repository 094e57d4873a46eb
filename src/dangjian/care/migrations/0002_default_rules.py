from django.db import migrations


def load(apps, schema_editor):
    from dangjian.care.rule_data import DEFAULT_RULES

    CareRule = apps.get_model("care", "CareRule")
    for trigger, kind, responsible, days, confidence, source in DEFAULT_RULES:
        CareRule.objects.get_or_create(
            trigger=trigger,
            kind=kind,
            responsible=responsible,
            defaults=dict(deadline_days=days, confidence=confidence, source=source, organisation_setting=True),
        )


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
