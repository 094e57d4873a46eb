"""The obligations now live in the rule store (rules 0004 copied every version, with its origin), so their table
goes. Migrating back re-creates it empty, and undoing rules 0004 then fills it from the store."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0003_settings_in_rule_store"),
        ("rules", "0004_move_obligations"),
    ]

    operations = [
        migrations.DeleteModel(name="ObligationRule"),
    ]
