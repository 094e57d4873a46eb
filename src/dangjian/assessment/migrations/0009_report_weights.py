"""述职评议: a meeting keeps the grade points and the grades' least scores it was run with, beside its weights (the
settings now come from the rule store, ``assessment.rule_data``). Meetings already voting or closed were reckoned
with the code's former constants: those are written onto them, so their results do not move."""

from django.db import migrations, models

# report_results.POINTS and BANDS as they were before the rule store held them
FORMER_POINTS = {"good": 100, "fairly_good": 80, "average": 60, "poor": 0}
FORMER_BANDS = {"good": 90, "fairly_good": 75, "average": 60}


def keep_former_scale(apps, schema_editor):
    ReportMeeting = apps.get_model("assessment", "ReportMeeting")
    ReportMeeting.objects.exclude(status="draft").update(points=FORMER_POINTS, bands=FORMER_BANDS)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0008_band_adjustments"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportmeeting",
            name="points",
            field=models.JSONField(blank=True, default=dict, verbose_name="等次分数"),
        ),
        migrations.AddField(
            model_name="reportmeeting",
            name="bands",
            field=models.JSONField(blank=True, default=dict, verbose_name="等次分数线"),
        ),
        migrations.RunPython(keep_former_scale, migrations.RunPython.noop),
    ]
