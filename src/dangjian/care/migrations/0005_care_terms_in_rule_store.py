"""A care line keeps its identity (event, kind, role); its terms now live in the rule store (rules 0003 moved them
as version 1 of each line), so the columns go. The deadline gets a default first only so that migrating back can
re-add the column to a table that has rows; rules 0003 then fills it from the versions."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0004_rule_confidence_once"),
        ("rules", "0003_move_care_rules"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="carerule", name="care_rule_deadline_max"),
        migrations.AlterField(
            model_name="carerule",
            name="deadline_days",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="期限（天）"),
        ),
        migrations.RemoveField(model_name="carerule", name="active"),
        migrations.RemoveField(model_name="carerule", name="confidence"),
        migrations.RemoveField(model_name="carerule", name="deadline_days"),
        migrations.RemoveField(model_name="carerule", name="source"),
    ]
