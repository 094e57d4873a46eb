"""The roster export against formula injection and the mask; uploads as transient, private files; capped reports."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.people.models import ImportJob, Person
from dangjian.people.roster import export_roster, import_roster
from dangjian.sheets.testing import INJECTION, assert_written_as_text, list_rows
from dangjian.testing import make_member, make_person, make_user

from .test_roster_helpers import row, xlsx

pytestmark = pytest.mark.django_db


def test_the_roster_export_writes_a_formula_like_name_as_text(tree):
    make_person(INJECTION, department=tree.dept1, post="-1+1")
    content = export_roster(Person.objects.all())
    assert_written_as_text(content)
    assert_written_as_text(content, "-1+1")


def test_a_leader_exports_masked_id_numbers_and_phones(client, tree):
    person = make_member(tree.branch1, "被导出", department=tree.dept1, phone="13812345678")
    leader = make_user("leader1", "leader", tree.root)
    office = make_user("office1", "office", tree.root)
    for user, shown in ((leader, (person.masked_id_number, "138****5678")), (office, (person.id_number, person.phone))):
        client.force_login(user)
        response = client.get(reverse("people:export"))
        assert response.status_code == 200
        rows = list_rows(response.content)
        header, data = rows[0], {r[0]: r for r in rows[1:]}
        values = data["被导出"]
        assert (values[header.index("公民身份号码")], values[header.index("手机号码")]) == shown
    assert person.id_number not in person.masked_id_number


def _upload(client, user, data: bytes, name: str = "roster.xlsx"):
    client.force_login(user)
    client.post(reverse("people:import"), {"file": SimpleUploadedFile(name, data)})
    return ImportJob.objects.latest("created_at")


@pytest.fixture
def office(tree, settings, tmp_path):
    local_uploads(settings, tmp_path)
    return make_user("office1", "office", tree.root)


def local_uploads(settings, tmp_path) -> None:
    """The "uploads" storage as a deployment has it by default: a private directory (here under tmp_path)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "uploads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": tmp_path / "uploads",
                "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700,
            },
        },
    }


def stored(job, tmp_path) -> Path:
    return tmp_path / "uploads" / job.stored_name


def test_a_passed_dry_run_keeps_its_upload_private_and_the_import_deletes_it(client, office, tmp_path):
    dry = _upload(client, office, xlsx([row(姓名="新人")]))
    assert dry.status == ImportJob.Status.DONE and dry.report["ok"]
    stored_file = stored(dry, tmp_path)
    assert stat.S_IMODE(stored_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored_file.parent.stat().st_mode) == 0o700
    client.post(reverse("people:import_confirm", args=[dry.pk]))
    applied = ImportJob.objects.latest("created_at")
    assert applied.status == ImportJob.Status.DONE and not applied.dry_run
    assert not stored_file.exists()  # the input is gone; the jobs and their reports stay
    assert ImportJob.objects.filter(pk=dry.pk, report__ok=True).exists() and applied.report["created"] == 1
    client.post(reverse("people:import_confirm", args=[dry.pk]))  # a second confirmation has nothing to read
    assert ImportJob.objects.count() == 2 and Person.objects.filter(name="新人").count() == 1


def test_a_failed_dry_run_deletes_its_upload_at_once(client, office, tmp_path):
    job = _upload(client, office, xlsx([row(公民身份号码="123")]))
    assert job.status == ImportJob.Status.DONE and not job.report["ok"]
    assert job.stored_name and not stored(job, tmp_path).exists()


def test_unconfirmed_uploads_are_deleted_after_the_retention_period(client, office, settings, tmp_path):
    import os
    import time

    dry = _upload(client, office, xlsx([row()]))
    old = time.time() - 25 * 3600
    os.utime(stored(dry, tmp_path), (old, old))
    _upload(client, office, xlsx([row()]))
    assert not stored(dry, tmp_path).exists()


def test_a_report_keeps_the_first_errors_and_counts_the_rest(client, office, settings):
    settings.SHEETS_MAX_REPORTED_ERRORS = 5
    bad = [row(公民身份号码=f"12345{i}") for i in range(12)]
    report = import_roster(xlsx(bad), "bad.xlsx", dry_run=True)
    assert len(report.errors) == 5 and report.more_errors == 7 and report.error_count == 12
    assert "发现12处错误" in report.summary()
    job = _upload(client, office, xlsx(bad))
    assert len(job.report["errors"]) == 5 and job.report["more_errors"] == 7
    html = client.get(reverse("people:import_job", args=[job.pk])).content.decode()
    assert "另有 7 处错误" in html and "发现 12 处错误" in html
