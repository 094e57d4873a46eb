from decimal import Decimal

from django.db import migrations

# Defaults the committee office can change: hours credited per meeting attended.
DEFAULT_HOURS = {
    "members_meeting": "2.0",
    "committee_meeting": "2.0",
    "group_meeting": "1.5",
    "lecture": "3.0",
    "theme_day": "3.0",
    "life_meeting": "3.0",
    "central_group_study": "3.0",
    "other": "1.0",
}


def seed(apps, schema_editor):
    HourRate = apps.get_model("meetings", "HourRate")
    for kind, hours in DEFAULT_HOURS.items():
        HourRate.objects.get_or_create(kind=kind, defaults={"hours": Decimal(hours)})


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_life")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
