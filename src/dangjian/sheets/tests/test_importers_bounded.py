"""The 1.6 KB corner bomb (cells A1 and XFD1048576) against each of the four importers, the web import and the
console command: refused with a message naming the limit, nothing allocated, the job failed and its file gone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from dangjian.care.importing import COLUMNS as CARE_COLUMNS
from dangjian.care.importing import import_events
from dangjian.dues.paysheet import COLUMNS as PAY_COLUMNS
from dangjian.dues.paysheet import import_pay_sheet
from dangjian.health.importer import import_checkups
from dangjian.health.layout import template_layout
from dangjian.people.models import ImportJob
from dangjian.people.roster import COLUMNS as ROSTER_COLUMNS
from dangjian.people.roster import import_roster
from dangjian.sheets import SheetError
from dangjian.testing import make_user

from .craft import column_letters, corner_bomb

LIMIT = "上限"


@pytest.fixture
def office(tree):
    return make_user("office1", "office", tree.root)


def test_the_roster_import_refuses_the_corner_bomb(db):
    with pytest.raises(SheetError, match=LIMIT):
        import_roster(corner_bomb(ROSTER_COLUMNS, sheet="花名册"), "bomb.xlsx")


def test_the_pay_sheet_import_refuses_the_corner_bomb(office):
    with pytest.raises(SheetError, match=LIMIT):
        import_pay_sheet(corner_bomb(PAY_COLUMNS, sheet="工资表"), "bomb.xlsx", user=office)


def test_the_care_event_import_refuses_the_corner_bomb(office):
    with pytest.raises(SheetError, match=LIMIT):
        import_events(office, corner_bomb(CARE_COLUMNS, sheet="关怀事件"), "bomb.xlsx")


def test_the_checkup_import_refuses_the_corner_bomb(tree):
    officer = make_user("ho", "health_officer", tree.root)
    layout = template_layout()
    header = [layout.id_header, layout.name_header, layout.date_header] + [c.header for c in layout.columns]
    with pytest.raises(SheetError, match=LIMIT):
        import_checkups(corner_bomb(header), "bomb.xlsx", layout, year=2026, user=officer, dry_run=True)


@pytest.mark.parametrize("url", ["care:import", "dues:import"])
def test_the_upload_pages_show_the_limit(client, office, url):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(office)
    upload = SimpleUploadedFile("bomb.xlsx", corner_bomb(CARE_COLUMNS if url == "care:import" else PAY_COLUMNS))
    html = client.post(reverse(url), {"file": upload, "dry_run": "on"}).content.decode()
    assert "1048576 行，超过上限 200000 行" in html


def test_every_upload_form_refuses_a_file_past_the_size_limit(client, office, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.SHEETS_MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(office)
    for url in ("people:import", "care:import", "dues:import"):
        upload = SimpleUploadedFile("big.csv", b"a," * (600 * 1024))
        html = client.post(reverse(url), {"file": upload, "dry_run": "on"}).content.decode()
        assert "超过上限 1 MB" in html, url
    assert not ImportJob.objects.exists()


def test_the_web_import_ends_failed_with_the_limit_and_deletes_the_upload(client, office, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.people.tests.test_roster_safety import local_uploads

    local_uploads(settings, tmp_path)
    client.force_login(office)
    upload = SimpleUploadedFile("bomb.xlsx", corner_bomb(ROSTER_COLUMNS, sheet="花名册"))
    response = client.post(reverse("people:import"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportJob.Status.FAILED
    assert "超过上限 200000 行" in job.error
    assert "超过上限 200000 行" in client.get(reverse("people:import_job", args=[job.pk])).content.decode()
    assert (
        not (tmp_path / "uploads" / job.stored_name).exists()
        and list((tmp_path / "uploads" / "roster").iterdir()) == []
    )


def _roster_with(rows_xml, path: Path) -> None:
    """A roster workbook: the template's header, then ``rows_xml`` written straight into the sheet's XML."""
    from .craft import CONTENT_TYPES, ROOT_RELS, SHEET_HEAD, SHEET_TAIL, WORKBOOK, WORKBOOK_RELS, row_xml

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK.format(name="花名册"))
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(SHEET_HEAD.format(dimension="").encode())
            part.write(row_xml(1, ROSTER_COLUMNS).encode())
            for chunk in rows_xml:
                part.write(chunk.encode())
            part.write(SHEET_TAIL.encode())


def _many_rows(rows: int, columns: int):
    template = '<row r="{n}">' + "".join(f'<c r="{column_letters(j)}{{n}}"><v>1</v></c>' for j in range(1, columns + 1))
    template += "</row>"
    batch = 5000
    for start in range(2, rows + 2, batch):
        yield "".join(template.format(n=n) for n in range(start, min(start + batch, rows + 2)))


# Runs the command and writes its peak resident memory (KB). A process started straight from the test runner
# inherits the runner's high-water mark at exec (Linux keeps the larger of the two), which after a long run is
# hundreds of MB; started from this small process, the command's own peak is what is measured.
_MEASURE = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _run_cli(path: Path, tmp_path: Path) -> tuple[int, str, float, float]:
    """Run the command in its own process; its exit code, stderr, seconds and peak resident memory (MB)."""
    env = {**os.environ, "DANGJIAN_VAR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)  # its own SQLite database: the command refuses the file before any query
    err_path, peak_path = tmp_path / "stderr.txt", tmp_path / "peak_kb.txt"
    command = [sys.executable, "-m", "dangjian.cli", "import-roster", str(path), "--dry-run"]
    started = time.monotonic()
    with open(err_path, "w") as err, open(os.devnull, "w") as out:
        code = subprocess.run(
            [sys.executable, "-c", _MEASURE, str(peak_path), *command], stdout=out, stderr=err, env=env
        ).returncode
    seconds = time.monotonic() - started
    return code, err_path.read_text(), seconds, int(peak_path.read_text()) / 1024


@pytest.mark.parametrize(
    "name,rows,reason",
    [
        ("corner", lambda: ['<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'], "超过上限 200000 行"),
        ("300000x26", lambda: _many_rows(300_000, 26), "超过 5000000 个单元格的上限"),
    ],
)
def test_the_console_import_refuses_a_huge_sheet_quickly_and_in_little_memory(tmp_path, name, rows, reason):
    path = tmp_path / f"{name}.xlsx"
    _roster_with(rows(), path)
    code, stderr, seconds, peak_mb = _run_cli(path, tmp_path)
    assert code == 1, stderr[-2000:]
    assert reason in stderr, stderr[-2000:]  # refused by its extent, within the 20 MB size limit
    print(f"{name}: {path.stat().st_size / 1e6:.1f} MB file refused in {seconds:.1f} s, peak {peak_mb:.0f} MB")
    assert seconds < 30, seconds
    assert peak_mb < 500, peak_mb


def test_the_checkup_upload_page_fails_the_job_and_drops_the_stored_file(client, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.health.models import CheckupImportJob

    officer = make_user("ho", "health_officer", tree.root)
    client.force_login(officer)
    upload = SimpleUploadedFile("bomb.xlsx", corner_bomb(["公民身份号码", "姓名"]))
    client.post(reverse("health:import"), {"file": upload, "year": 2026})
    job = CheckupImportJob.objects.get()
    assert job.status == CheckupImportJob.Status.FAILED and "超过上限 200000 行" in job.error
    assert job.file_ciphertext is None  # a transient input: nothing is left to confirm
