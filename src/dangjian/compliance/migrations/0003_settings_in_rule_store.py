"""The settings now live in the rule store (rules 0002 copied every version); the confidence labels are the one
set of ``dangjian.rules.confidence``; the seeded lecture rule's note no longer names an internal file."""

from django.db import migrations, models


def plain_notes(apps, schema_editor):
    Rule = apps.get_model("compliance", "ObligationRule")
    for rule in Rule.objects.filter(note__contains="RULES.md"):
        rule.note = rule.note.replace("（RULES.md：", "（")
        rule.save(update_fields=["note"])


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0002_seed_rules"),
        ("rules", "0002_move_compliance_settings"),
    ]

    operations = [
        migrations.AlterField(
            model_name="obligationrule",
            name="confidence",
            field=models.CharField(
                choices=[("P", "条例原文"), ("Q", "条文引用"), ("S", "参考做法"), ("L", "本单位设置"), ("U", "待核实")],
                max_length=1,
                verbose_name="依据类别",
            ),
        ),
        migrations.RunPython(plain_notes, migrations.RunPython.noop),
        migrations.DeleteModel(name="ComplianceSetting"),
    ]
