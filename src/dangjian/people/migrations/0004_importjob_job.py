"""Roster imports link to the one job model (dangjian.jobs): progress moves there, history kept; the input is
named in the "uploads" storage instead of by a local path."""

import os

import django.db.models.deletion
from django.db import migrations, models

STATUS = {"pending": "pending", "running": "failed", "done": "done", "failed": "failed"}


def link_jobs(apps, schema_editor):
    ImportJob = apps.get_model("people", "ImportJob")
    Job = apps.get_model("jobs", "Job")
    for imp in ImportJob.objects.all().iterator():
        # A job "running" before this release ran in a thread of a process now gone: it is over.
        status = STATUS.get(imp.status, "failed")
        error = imp.error or ("处理进程中断（系统升级前的任务），请重新上传" if imp.status in {"running", "pending"} else "")
        job = Job.objects.create(
            kind="people.roster_import",
            handler="dangjian.people.importing.run_import",
            owner_id=imp.user_id,
            status=status,
            done=imp.done,
            total=imp.total,
            error=error,
            url=f"/people/import/jobs/{imp.pk}/",
            attempts=1,
            max_attempts=1,
            created_at=imp.created_at,
            started_at=imp.created_at,
            heartbeat_at=imp.finished_at or imp.created_at,
            finished_at=imp.finished_at or imp.created_at,
        )
        imp.job_id = job.pk
        if imp.status in {"running", "pending"}:
            imp.status, imp.error = "failed", error
        # Uploads were files directly under var/uploads, which is now the "uploads" storage's root.
        imp.stored_path = os.path.basename(imp.stored_path or "")
        imp.save(update_fields=["job", "status", "error", "stored_path"])


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("people", "0003_membership_discipline_probation"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="job",
            field=models.OneToOneField(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="jobs.job"
            ),
        ),
        migrations.RunPython(link_jobs, migrations.RunPython.noop),
        migrations.RenameField(model_name="importjob", old_name="stored_path", new_name="stored_name"),
        migrations.RemoveField(model_name="importjob", name="done"),
        migrations.RemoveField(model_name="importjob", name="total"),
    ]
