"""Pages: only health officers, only within scope (404 otherwise, PIPL art. 28); views and exports audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.health import services
from dangjian.health.models import Checkup, CheckupImportJob, ColumnMapping, Consent
from dangjian.sheets.testing import INJECTION, assert_written_as_text, list_rows
from dangjian.testing import make_member

from .sheets import full_row, workbook

pytestmark = pytest.mark.django_db


def _checkup(person, **values) -> Checkup:
    c = Checkup(person=person, year=2026, checked_on=date(2026, 5, 1), source="manual")
    c.set_values({"sbp_mmhg": 187.0, **values})
    c.save()
    return c


def value_urls(world) -> list[str]:
    p1 = world["p1"]
    mapping = ColumnMapping.objects.create(name="m", columns={}, created_by=world["ho1"])
    return [
        reverse("health:index"),
        reverse("health:person", args=[p1.pk]),
        reverse("health:person_export", args=[p1.pk]),
        reverse("health:consent", args=[p1.pk]),
        reverse("health:consent_bulk"),
        reverse("health:import"),
        reverse("health:import_template"),
        reverse("health:mapping_new"),
        reverse("health:mapping_edit", args=[mapping.pk]),
    ]


@pytest.mark.parametrize("who", ["sec1", "leader", "office"])
def test_roles_without_health_values_get_404_on_every_value_page(client, world, who):
    _checkup(world["p1"])
    client.force_login(world[who])
    for url in value_urls(world):
        assert client.get(url).status_code == 404, url
    assert not AuditEvent.objects.filter(action__in=("view_sensitive", "export")).exists()


def test_a_health_officer_of_another_branch_gets_404_on_the_record(client, world):
    _checkup(world["p1"])
    client.force_login(world["ho2"])
    for name in ("health:person", "health:person_export", "health:consent"):
        assert client.get(reverse(name, args=[world["p1"].pk])).status_code == 404, name
    assert "张一" not in client.get(reverse("health:index")).content.decode()


def test_viewing_a_record_shows_decrypted_values_and_is_audited(client, world):
    _checkup(world["p1"], total_cholesterol_mmol_l=5.2, h_pylori_positive=True)
    client.force_login(world["ho1"])
    page = client.get(reverse("health:person", args=[world["p1"].pk])).content.decode()
    assert "187 mmHg" in page and "5.2 mmol/L" in page and "未提供" in page
    event = AuditEvent.objects.get(action="view_sensitive")
    assert (event.actor, event.object_type, event.object_id) == (world["ho1"], "people.person", str(world["p1"].pk))
    assert "187" not in str(event.detail)


def test_exporting_a_record_is_audited_and_the_workbook_holds_the_values(client, world):
    _checkup(world["p1"], fit_result="positive")
    client.force_login(world["ho1"])
    response = client.get(reverse("health:person_export", args=[world["p1"].pk]))
    rows = {r[0]: r[1:] for r in list_rows(response.content)}
    assert rows["项目"] == ("2026年度",) and rows["收缩压"] == ("187 mmHg",)
    assert rows["粪便免疫化学检测（FIT）"] == ("阳性",)
    assert rows["知情同意"] == ("未登记",) and rows["体检日期"][0].date() == date(2026, 5, 1)
    assert AuditEvent.objects.filter(action="export", object_id=str(world["p1"].pk)).count() == 1


def test_the_list_shows_consent_and_checkup_status_and_filters(client, world):
    t, ho_all = world["t"], world["ho_all"]
    _checkup(world["p1"])
    with context.acting(ho_all):
        services.give_consent(ho_all, world["p2"].pk, 2026, date(2026, 1, 5))
    client.force_login(ho_all)
    url = reverse("health:index")
    page = client.get(url, {"year": 2026}).content.decode()
    assert "张一" in page and "李二" in page and "2026-01-05 已同意" in page
    assert "张一" not in client.get(url, {"year": 2026, "status": "consent"}).content.decode()
    assert "李二" not in client.get(url, {"year": 2026, "status": "checkup"}).content.decode()
    assert "李二" not in client.get(url, {"year": 2026, "org": t.branch1.pk}).content.decode()
    assert "张一" not in client.get(url, {"year": 2026, "department": t.dept2.pk}).content.decode()
    assert "张一" not in client.get(url, {"year": 2025, "status": "checkup"}).content.decode()


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"year": 2026}).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_query_count_does_not_grow_with_the_data(client, world):
    t, ho_all = world["t"], world["ho_all"]
    client.force_login(ho_all)
    url = reverse("health:index")
    _list_queries(client, url)  # warm caches (session, content types)
    small = _list_queries(client, url)
    for i in range(30):
        p = make_member(t.branch1 if i % 2 else t.branch2, f"多{i}", department=t.dept1)
        _checkup(p)
        Consent.objects.create(person=p, year=2026, given_on=date(2026, 1, 1), given_recorded_by=ho_all)
    assert _list_queries(client, url) == small


def test_the_consent_page_records_and_withdraws(client, world):
    client.force_login(world["ho1"])
    url = reverse("health:consent", args=[world["p1"].pk])
    response = client.post(url, {"action": "give", "year": 2026, "on": "2026-02-01"})
    assert response.status_code == 302
    response = client.post(url, {"action": "withdraw", "year": 2026, "on": "2026-01-01"})
    assert "撤回日期不能早于同意日期" in response.content.decode()
    client.post(url, {"action": "withdraw", "year": 2026, "on": "2026-03-01"})
    assert not Consent.objects.active().exists() and Consent.objects.get().withdrawn_on == date(2026, 3, 1)


def test_bulk_consent_previews_the_count_then_records(client, world):
    t = world["t"]
    make_member(t.branch1, "成员甲")
    client.force_login(world["ho1"])
    url = reverse("health:consent_bulk")
    data = {"org": t.branch1.pk, "year": 2026, "on": "2026-02-01"}
    preview = client.post(url, data)
    assert "将为 2 人登记知情同意" in preview.content.decode() and not Consent.objects.exists()
    assert client.post(url, {**data, "confirm": "on"}).status_code == 302
    assert Consent.objects.active().filter(year=2026).count() == 2
    assert "请选择党组织或部门" in client.post(url, {"year": 2026, "on": "2026-02-01"}).content.decode()


def test_import_pages_dry_run_then_confirm(client, world):
    client.force_login(world["ho1"])
    bad = workbook([full_row(world["p1"], **{"腰围(cm)": 20})])
    response = client.post(
        reverse("health:import"), {"file": SimpleUploadedFile("a.xlsx", bad), "year": 2026, "mapping": ""}
    )
    job = CheckupImportJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "第 2 行" in page and "腰围(cm)" in page and "confirm-import" not in page
    good = workbook([full_row(world["p1"])])
    response = client.post(
        reverse("health:import"), {"file": SimpleUploadedFile("b.xlsx", good), "year": 2026, "mapping": ""}
    )
    job = CheckupImportJob.objects.exclude(pk=job.pk).get()
    assert job.file_ciphertext is not None and b"PK" not in bytes(job.file_ciphertext)[:40]
    assert "confirm-import" in client.get(response["Location"]).content.decode()
    assert not Checkup.objects.exists()
    client.post(reverse("health:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.applied and job.file_ciphertext is None and Checkup.objects.count() == 1
    again = client.post(reverse("health:import_confirm", args=[job.pk]), follow=True)
    assert "只有预检通过且尚未导入的文件才能确认导入" in again.content.decode()


def test_an_unconfirmed_upload_is_wiped_after_a_day(client, world):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(world["ho1"])
    upload = {"file": SimpleUploadedFile("a.xlsx", workbook([full_row(world["p1"])])), "year": 2026, "mapping": ""}
    client.post(reverse("health:import"), upload)
    old = CheckupImportJob.objects.get()
    CheckupImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    upload["file"] = SimpleUploadedFile("b.xlsx", workbook([full_row(world["p1"])]))
    client.post(reverse("health:import"), upload)
    old.refresh_from_db()
    assert old.file_ciphertext is None
    assert CheckupImportJob.objects.exclude(pk=old.pk).get().file_ciphertext is not None
    page = client.post(reverse("health:import_confirm", args=[old.pk]), follow=True).content.decode()
    assert "未确认的上传文件保留1天" in page and not Checkup.objects.exists()


def test_another_officers_import_job_is_404(client, world):
    client.force_login(world["ho1"])
    client.post(
        reverse("health:import"),
        {"file": SimpleUploadedFile("a.xlsx", workbook([full_row(world["p1"])])), "year": 2026, "mapping": ""},
    )
    job = CheckupImportJob.objects.get()
    client.force_login(world["ho2"])
    assert client.get(reverse("health:import_job", args=[job.pk])).status_code == 404
    assert client.post(reverse("health:import_confirm", args=[job.pk])).status_code == 404


def test_a_mapping_is_created_on_its_page_and_audited(client, world):
    client.force_login(world["ho1"])
    data = {"name": "协和体检中心", "id_header": "身份证号", "name_header": "姓名", "date_header": "体检日期",
            "h_total_cholesterol_mmol_l": "TC", "u_total_cholesterol_mmol_l": "mg/dL"}  # fmt: skip
    response = client.post(reverse("health:mapping_new"), data)
    assert response.status_code == 302, response.content.decode()
    m = ColumnMapping.objects.get()
    assert m.columns == {"total_cholesterol_mmol_l": {"header": "TC", "unit": "mg/dL"}}
    assert AuditEvent.objects.filter(object_type="health.columnmapping", action="create").exists()
    duplicate = client.post(reverse("health:mapping_edit", args=[m.pk]), {**data, "h_sbp_mmhg": "TC"})
    assert "表头重复" in duplicate.content.decode()


def test_the_people_list_trims_a_long_organisation_list_but_filters_by_any(client, world, monkeypatch):
    from dangjian.health import forms

    t = world["t"]
    monkeypatch.setattr(forms, "MAX_ORG_CHOICES", 1)
    client.force_login(world["ho_all"])
    html = client.get(reverse("health:index")).content.decode()
    select = html[html.index('name="org"') :]
    select = select[: select.index("</select>")]
    assert f'<option value="{t.root.pk}">' in select and f'<option value="{t.branch1.pk}">' not in select
    html = client.get(reverse("health:index"), {"org": t.branch1.pk}).content.decode()
    assert world["p1"].name in html and world["p2"].name not in html


def test_the_record_export_writes_a_formula_like_name_as_text(client, world):
    world["p1"].name = INJECTION
    world["p1"].save()
    _checkup(world["p1"])
    client.force_login(world["ho1"])
    assert_written_as_text(
        client.get(reverse("health:person_export", args=[world["p1"].pk])).content,
        f"{INJECTION} 健康档案（敏感个人信息，请妥善保管）",
    )
