"""Roster imports as background jobs: the input is read through the "uploads" storage by name (a worker on another
machine reads it the same way), the page shows the job's progress, and a lost import ends failed with its reason."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dangjian.jobs.models import Job
from dangjian.jobs.reaper import reap
from dangjian.people.models import ImportJob, Person
from dangjian.testing import make_user

from .test_roster_helpers import row, xlsx

pytestmark = pytest.mark.django_db

IN_MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


@pytest.fixture
def office(tree, settings):
    # Uploads live only in this storage: no file anywhere on disk for the job to fall back on.
    settings.STORAGES = {**settings.STORAGES, "uploads": IN_MEMORY}
    return make_user("office1", "office", tree.root)


@pytest.fixture
def queued(settings):
    """Jobs wait for a worker, as in a deployment."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_INLINE = False


def _work() -> None:
    call_command("worker", batch=True, startup_delay=False, interval=0, verbosity=0, stdout=io.StringIO())


def test_an_import_whose_input_lives_only_in_storage_runs_and_the_input_goes(client, office):
    client.force_login(office)
    client.post(reverse("people:import"), {"file": SimpleUploadedFile("r.xlsx", xlsx([row(姓名="存储里")]))})
    dry = ImportJob.objects.get()
    assert dry.status == "done" and dry.report["ok"] and dry.job.status == "done"
    assert dry.stored_name.startswith("roster/") and storages["uploads"].exists(dry.stored_name)
    client.post(reverse("people:import_confirm", args=[dry.pk]))
    applied = ImportJob.objects.exclude(pk=dry.pk).get()
    assert applied.status == "done" and Person.objects.filter(name="存储里").exists()
    assert not storages["uploads"].exists(dry.stored_name)


# A worker closes a connection left inside a transaction (close_old_connections): it needs committed data.
@pytest.mark.django_db(transaction=True)
def test_the_stored_upload_is_sealed_and_bound_to_its_name(office):
    from dangjian.crypto import SealError
    from dangjian.people import importing

    data = "姓名,公民身份号码\n封存人,110101198003040011\n".encode()
    name = importing.store_upload(data, ".csv")
    stored = storages["uploads"].open(name).read()
    assert "封存人".encode() not in stored and b"110101198003040011" not in stored
    assert importing.read_upload(name) == data
    other = importing.store_upload(b"x", ".csv")
    storages["uploads"].delete(other)
    storages["uploads"].save(other, io.BytesIO(stored))  # the same sealed bytes under another name
    with pytest.raises(SealError):
        importing.read_upload(other)


@pytest.mark.django_db(transaction=True)  # the in-process worker runs close_old_connections, as above
def test_the_page_shows_the_queued_job_then_its_result_once_a_worker_ran_it(client, office, queued):
    client.force_login(office)
    response = client.post(
        reverse("people:import"), {"file": SimpleUploadedFile("r.xlsx", xlsx([row(), row(姓名="李四")]))}
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("people:import_job", args=[job.pk])
    assert job.job.status == "pending" and job.job.url == response["Location"] and job.job.max_attempts > 1
    page = client.get(response["Location"]).content.decode()
    assert "排队中" in page and 'hx-trigger="every 1s"' in page
    _work()
    job.refresh_from_db()
    assert job.status == "done" and job.report["ok"] and job.report["total_rows"] == 2
    assert (job.job.status, job.job.attempts, job.job.percent) == ("done", 1, 100)
    assert job.job.done == job.job.total > 0  # the importer's progress, recorded on the job
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'id="confirm-import"' in fragment and "hx-get" not in fragment


def test_an_import_whose_worker_died_for_good_ends_failed_with_the_reason_and_its_input_goes(
    client, office, queued, settings
):
    client.force_login(office)
    client.post(reverse("people:import"), {"file": SimpleUploadedFile("r.xlsx", xlsx([row()]))})
    imp = ImportJob.objects.get()
    ImportJob.objects.filter(pk=imp.pk).update(status="running")
    stale = timezone.now() - timedelta(seconds=settings.JOBS_STALE_SECONDS + 1)
    Job.objects.filter(pk=imp.job_id).update(status="running", heartbeat_at=stale, attempts=settings.JOBS_MAX_ATTEMPTS)
    assert [j.pk for j in reap().failed] == [imp.job_id]
    imp.refresh_from_db()
    assert imp.status == "failed" and "处理进程中断" in imp.error and imp.finished_at
    assert not storages["uploads"].exists(imp.stored_name)
    page = client.get(reverse("people:import_job", args=[imp.pk])).content.decode()
    assert "处理进程中断" in page and "hx-get" not in page


def test_the_job_page_does_not_grow_queries_with_progress(client, office, queued, django_assert_max_num_queries):
    client.force_login(office)
    client.post(reverse("people:import"), {"file": SimpleUploadedFile("r.xlsx", xlsx([row()]))})
    url = reverse("people:import_job", args=[ImportJob.objects.get().pk])
    with django_assert_max_num_queries(8):
        client.get(url, HTTP_HX_REQUEST="true")


def test_the_dry_run_and_the_import_say_how_many_rows_they_read(client, office):
    """Issue 13 §3: the success message said "共 行" with no number (the template read a key the report lacks)."""
    client.force_login(office)
    client.post(
        reverse("people:import"), {"file": SimpleUploadedFile("r.xlsx", xlsx([row(姓名="甲"), row(姓名="乙")]))}
    )
    dry = ImportJob.objects.get()
    page = client.get(reverse("people:import_job", args=[dry.pk])).content.decode()
    assert "预检通过：共 2 行，将新增 2 人" in page
    client.post(reverse("people:import_confirm", args=[dry.pk]))
    done = ImportJob.objects.exclude(pk=dry.pk).get()
    page = client.get(reverse("people:import_job", args=[done.pk])).content.decode()
    assert "导入完成：共 2 行，新增 2 人" in page
