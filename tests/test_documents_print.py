"""Every generated document prints: each .docx and .xlsx kind, filled from the demo institute, converted to PDF by
LibreOffice as an office would print it, on A4 (portrait, or landscape for a wide ledger) with a sane page count.

python-docx starts from US Letter and openpyxl from the printer's default paper, so a document that forgot its page
set-up prints on Letter; a ledger without "fit to page width" prints its last columns on pages of their own. Both
show here as a page size or a page count. The .docx files are converted with the fonts of ``core/fonts.conf`` (the
party-document faces mapped to Noto CJK), as the layout's docstring asks.

LibreOffice (Debian ``libreoffice-writer-nogui``, ``libreoffice-calc-nogui``) and poppler's ``pdfinfo`` are
installed by ``make debian-deps``; without them the module is skipped with the reason. All files are converted in
two LibreOffice runs (one per font set-up), each with a profile of its own so that parallel runs do not share one.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from dangjian.core import paper
from dangjian.core.contributions import LEDGER_SECTIONS, Period, document_providers
from dangjian.ledger.tests.test_ledger import HEADINGS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (shutil.which("soffice") and shutil.which("pdfinfo")),
        reason="LibreOffice (soffice) and poppler-utils (pdfinfo) are not installed: run `make debian-deps`",
    ),
]

A4 = (595, 842)  # points, rounded
CONVERT_TIMEOUT = 240


@dataclass
class Printed:
    name: str
    content: bytes
    pages: tuple[int, int]  # the page count expected, inclusive
    landscape: bool | None = None  # None: either (a workbook whose sheets differ)


def _documents(today: date) -> list[Printed]:
    """One of every generated document, filled from the demo institute as of ``today``."""
    from dangjian.assessment import report_documents, report_services
    from dangjian.assessment.models import AssessmentCycle, ReportMeeting
    from dangjian.assessment.unit_report import unit_report
    from dangjian.care.matter_export import export_matters
    from dangjian.care.models import PracticalMatter
    from dangjian.development import documents as development_documents
    from dangjian.development.export import export_cases
    from dangjian.development.models import CaseStatus, Development
    from dangjian.dues.ledger import compute
    from dangjian.dues.months import add_months, month_start
    from dangjian.dues.paysheet import build_template as pay_sheet_template
    from dangjian.dues.summary import export_xlsx, month_summary, year_summary
    from dangjian.health.export import record_workbook
    from dangjian.health.models import Checkup
    from dangjian.orgs.models import Organization
    from dangjian.people.models import Membership, Person
    from dangjian.people.roster import build_template, export_roster
    from dangjian.talks.documents import build as talks_build
    from dangjian.transfers.letter import build_letter
    from dangjian.transfers.models import Direction, Transfer

    year = today.year
    period = Period.year(year)
    branch = Organization.objects.filter(kind="branch", memberships__isnull=False).distinct().order_by("path").first()
    from dangjian.ledger import assemble

    ledger = assemble.assemble(branch, year, attachments=assemble.attachments(branch, year))

    done = {}
    for dev in Development.objects.filter(status=CaseStatus.OPEN).select_related("person", "branch"):
        codes = development_documents.done_codes(dev)
        if "notice" not in done and development_documents.notice_refusal(dev, codes) is None:
            done["notice"] = development_documents.publicity_notice(dev, today)
        if "request" not in done and development_documents.request_refusal(dev, codes) is None:
            done["request"] = development_documents.approval_request(dev)
        if len(done) == 2:
            break
    assert set(done) == {"notice", "request"}, "the demo has a development case at each document's stage"
    letter = Transfer.objects.filter(direction=Direction.OUT, letter_seq__isnull=False).first()
    assert letter is not None, "the demo has an outgoing transfer with a letter"

    members = Membership.objects.current()
    month = add_months(month_start(today), -1)
    in_month = month_summary(members, month)
    lines = compute(members, [month])[month]
    whole_year = year_summary(members, year, today)
    checked = Checkup.objects.values_list("person_id", flat=True).first()
    cycle = AssessmentCycle.objects.order_by("year").first()
    assert cycle is not None, "the demo has an assessment cycle"
    reported = ReportMeeting.objects.filter(status="closed").first()
    assert reported is not None, "the demo has a closed 述职评议"
    reports = list(reported.reports.filter(withdrawn_at__isnull=True).order_by("order"))

    return [
        # the real ledger (台账): portrait, with the roster's pages landscape; every meeting of the year with its
        # particulars, minutes and sign-in sheet takes about a page
        Printed("ledger.docx", paper.to_bytes(ledger), (20, 250), landscape=None),
        Printed("talks_record.docx", talks_build(branch, period), (1, 20), landscape=False),
        Printed("publicity_notice.docx", done["notice"], (1, 2), landscape=False),
        Printed("approval_request.docx", done["request"], (1, 3), landscape=False),
        Printed("transfer_letter.docx", build_letter(letter), (1, 1), landscape=False),
        Printed("development_cases.xlsx", export_cases(Development.objects.all(), period.end), (1, 20), True),
        Printed("dues_month.xlsx", export_xlsx(lines, in_month), (2, 60), landscape=None),
        Printed("dues_year_summary.xlsx", export_xlsx([], whole_year), (2, 4), landscape=None),
        Printed("practical_matters.xlsx", export_matters(PracticalMatter.objects.all()), (1, 10), True),
        Printed("roster.xlsx", export_roster(Person.objects.filter(memberships__in=members)[:200]), (2, 40)),
        Printed("roster_template.xlsx", build_template(), (1, 4)),
        Printed("pay_sheet_template.xlsx", pay_sheet_template(), (1, 3), landscape=False),
        Printed("health_record.xlsx", record_workbook(None, Person.objects.get(pk=checked)), (1, 4), False),
        Printed("assessment_unit_report.docx", unit_report(cycle, branch), (1, 6), landscape=False),
        Printed("secretary_report_form.docx", report_documents.ballot_form(reported, reports), (1, 8), landscape=False),
        Printed(
            "secretary_report_results.xlsx",
            report_documents.results_book(reported, report_services.results(reported)),
            (1, 3),
            landscape=None,
        ),
    ]


def _convert(files: list[Path], outdir: Path, profile: Path, fontconfig: Path | None) -> None:
    env = dict(os.environ)
    if fontconfig is not None:
        env["FONTCONFIG_FILE"] = str(fontconfig)
    command = [
        "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=CONVERT_TIMEOUT)


def _pages(pdf: Path) -> list[tuple[int, int]]:
    """Each page's size in whole points (width, height), as pdfinfo reads it."""
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "100000", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return [
        (round(float(w)), round(float(h)))
        for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out, flags=re.M)
    ]


@pytest.fixture(scope="module")
def print_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("print")


@pytest.fixture(scope="module")
def printed(institute_demo, print_dir):
    """The documents and the PDF pages of each, converted once for the module (the PDFs in ``print_dir``)."""
    documents = _documents(timezone.localdate())
    root = print_dir
    paths = []
    for doc in documents:
        path = root / doc.name
        path.write_bytes(doc.content)
        paths.append(path)
    docx = [p for p in paths if p.suffix == ".docx"]
    xlsx = [p for p in paths if p.suffix == ".xlsx"]
    _convert(docx, root, root / "profile-docx", paper.FONTCONFIG)
    _convert(xlsx, root, root / "profile-xlsx", None)
    return [(doc, _pages(root / f"{Path(doc.name).stem}.pdf")) for doc in documents]


def test_every_document_prints_on_a4_with_a_sane_page_count(printed):
    problems = []
    for doc, pages in printed:
        low, high = doc.pages
        if not low <= len(pages) <= high:
            problems.append(f"{doc.name}: {len(pages)} pages, expected {low}–{high}")
        for n, size in enumerate(pages, 1):
            allowed = {A4, A4[::-1]} if doc.landscape is None else {A4[::-1] if doc.landscape else A4}
            if size not in allowed:
                problems.append(f"{doc.name} page {n}: {size[0]}×{size[1]} pt, not A4")
                break
    assert not problems, "\n".join(problems)


def test_every_docx_section_is_a4_with_the_gb_t_9704_margins(printed):
    """The page set-up in the file itself, as Word and WPS read it (GB/T 9704 §5.2: 37/35/28/26 mm)."""
    for doc, _pages in printed:
        if not doc.name.endswith(".docx"):
            continue
        for section in Document(io.BytesIO(doc.content)).sections:
            size = (round(section.page_width.mm), round(section.page_height.mm))
            if doc.landscape is None and size == (297, 210):  # a landscape section keeps the margins
                size = (210, 297)
            margins = [round(m.mm) for m in (section.top_margin, section.bottom_margin)]
            margins += [round(m.mm) for m in (section.left_margin, section.right_margin)]
            assert (size, margins) == ((210, 297), [37, 35, 28, 26]), doc.name


def test_every_xlsx_sheet_is_a_printable_ledger(printed):
    """A4, fitted to the page width, the header repeated on every page and frozen, landscape when wide."""
    for doc, _pages in printed:
        if not doc.name.endswith(".xlsx"):
            continue
        for ws in load_workbook(io.BytesIO(doc.content)).worksheets:
            where = f"{doc.name}:{ws.title}"
            assert ws.page_setup.paperSize in (9, "9"), where
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, "1"), where
            if ws.title in ("说明", "填写说明") or ws.max_column < 2:
                continue
            assert ws.print_title_rows, where
            assert ws.freeze_panes, where
            assert ws.cell(2, 1).value == "序号", where


def test_the_ledger_of_a_demo_branch_has_every_section_and_prints_landscape_only_for_wide_parts(printed):
    """The ledger (台账) of a demo branch: every section's heading in the .docx, in the ledger's order; its PDF on A4,
    portrait but for the landscape pages of the parts too wide for it: the roster's, right after the 委员花名册, and
    the wide registers' (发展党员, 整改清单) where they have rows."""
    doc, pages = next((d, p) for d, p in printed if d.name == "ledger.docx")
    chapters = [p.text for p in Document(io.BytesIO(doc.content)).paragraphs if p.style.name == "Heading 1"]
    expected = [str(h) for h in LEDGER_SECTIONS.values()]
    assert [c for c in chapters if c in expected] == expected
    assert chapters[-1] == "附件目录"
    for heading in HEADINGS:  # the literal section headings
        assert heading in chapters
    landscape = [n for n, size in enumerate(pages) if size == A4[::-1]]
    assert landscape, "the roster prints on landscape pages"
    runs = [n for n in landscape if n - 1 not in landscape]  # the first page of each run of landscape pages
    assert runs[0] <= 8, "the roster's landscape pages come right after the 委员花名册"
    wide = [p for p in document_providers() if p.landscape]
    assert len(runs) <= len(wide), "landscape pages only for the parts that ask for them (registers too wide)"
    assert all(size in (A4, A4[::-1]) for size in pages)


def test_the_ledger_contents_give_each_section_the_page_it_starts_on(printed, print_dir):
    """The contents page lists every section with a page number (a page reference LibreOffice computes as it lays
    the pages out), and each number is the printed number of the page that section's heading opens."""
    pdf = print_dir / "ledger.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    texts = pages.stdout.split("\f")
    listed = re.findall(r"^\s*\d+．(\S+?)\.{3,}(\d+)\s*$", texts[1], flags=re.M)
    expected = [str(h) for h in LEDGER_SECTIONS.values()] + ["附件目录"]
    assert [name for name, _page in listed] == expected
    numbers = [int(page) for _name, page in listed]
    assert numbers == sorted(numbers) and numbers[0] == 3  # the cover (unnumbered) is page 1, the contents page 2
    for name, page in listed:
        opening = texts[int(page) - 1]
        first_line = next(line for line in opening.splitlines() if line.strip())
        assert first_line.split() == [name] or name in first_line.replace(" ", ""), (name, page, first_line)
        assert f"—{page}—" in opening.replace(" ", ""), (name, page)
