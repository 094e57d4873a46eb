"""Screening runs link to the one job model (dangjian.jobs), history kept: each earlier run gets its job row."""

import django.db.models.deletion
from django.db import migrations, models


def link_jobs(apps, schema_editor):
    ScreeningRun = apps.get_model("health", "ScreeningRun")
    Job = apps.get_model("jobs", "Job")
    for run in ScreeningRun.objects.all().iterator():
        if run.status == "running":
            # It ran in a thread of a process now gone: it is over.
            run.status, run.error = "failed", "筛查未完成（处理进程中断），请重新发起"
            run.finished_at = run.finished_at or run.started_at
        job = Job.objects.create(
            kind="health.screening",
            handler="dangjian.health.runs.run_screening",
            owner_id=run.started_by_id,
            status=run.status,
            error=run.error,
            url=f"/health/runs/{run.pk}/",
            attempts=1,
            max_attempts=1,
            created_at=run.started_at,
            started_at=run.started_at,
            heartbeat_at=run.finished_at or run.started_at,
            finished_at=run.finished_at or run.started_at,
        )
        run.job_id = job.pk
        run.save(update_fields=["job", "status", "error", "finished_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0002_screening_followup"),
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="screeningrun",
            name="job",
            field=models.OneToOneField(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="jobs.job"
            ),
        ),
        migrations.RunPython(link_jobs, migrations.RunPython.noop),
    ]
