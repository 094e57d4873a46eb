"""The ledger (台账): assembly, the checklist, the summary with its figures, the jobs and their files, the CLI and
the pages. Small hand-made worlds; the demo's ledger prints in tests/test_documents_print.py."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from dangjian.audit.models import AuditEvent
from dangjian.core import context, paper
from dangjian.core.contributions import DocumentPart, LedgerAttachment, Period, document_providers
from dangjian.ledger import assemble, runs, services, summary
from dangjian.ledger.models import LedgerRun, YearSummary
from dangjian.orgs.models import CommitteePost, CommitteeTerm
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db

YEAR = 2025
# The literal list (the registry adds 请示报告 before the summary).
HEADINGS = [
    "基本情况",
    "委员花名册",
    "党员花名册",
    "年度工作计划",
    "党员大会",
    "支委会",
    "党小组会",
    "党课",
    "主题党日",
    "谈心谈话",
    "民主评议",
    "发展党员",
    "党费",
    "关心关怀",
    "考核结果",
    "年度工作总结",
]


@pytest.fixture(autouse=True)
def _no_pdf(settings, tmp_path):
    settings.LEDGER_PDF = False
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world():
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", native_place="河北保定", education="master", post="研究员")
    p2 = make_member(t.branch1, "乙二", status="probationary", group=t.group1)
    make_member(t.branch2, "丙三")
    sec1 = make_user("sec1", "secretary", t.branch1, person=p1)
    sec2 = make_user("sec2", "secretary", t.branch2)
    term = CommitteeTerm.objects.create(organization=t.branch1, elected_on=date(2024, 3, 1), ends_on=date(2027, 3, 1))
    CommitteePost.objects.create(term=term, person=p1, post="secretary")
    return t, p1, p2, sec1, sec2


def _text(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _tables(document) -> str:
    return "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)


def _section_text(texts: list[str], heading: str) -> list[str]:
    """The paragraphs between ``heading`` (as a chapter, after the contents) and the next chapter."""
    start = [i for i, t in enumerate(texts) if t == heading][-1]
    out = []
    for t in texts[start + 1 :]:
        if t in HEADINGS or t in ("请示报告", "附件目录"):
            break
        if t:
            out.append(t)
    return out


def test_every_section_heading_in_order_each_on_a_new_section_and_a4(world):
    t, *_ = world
    document = assemble.assemble(t.branch1, YEAR)
    texts = _text(document)
    chapters = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [c for c in chapters if c in HEADINGS] == HEADINGS
    assert chapters[0].replace("　", "") == "目录"
    # the cover: year, the committee above, the branch
    assert "2025年度" in texts[0] and any("中共测试所党委" in x for x in texts[:8])
    assert any("中共一支部" in x for x in texts[:8])
    for section in document.sections:
        size = sorted((round(section.page_width.mm), round(section.page_height.mm)))
        assert size == [210, 297]
        assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
    # every section after the cover's starts a new page; at least one per ledger section
    assert len(document.sections) >= len(HEADINGS) + 1


def test_the_roster_is_landscape_with_its_columns_and_the_others_portrait(world):
    t, *_ = world
    document = assemble.assemble(t.branch1, YEAR)
    landscape = [s for s in document.sections if s.page_width > s.page_height]
    assert len(landscape) == 1
    table = next(tb for tb in document.tables if tb.rows[0].cells[1].text == "姓名" and len(tb.columns) == 12)
    headers = [c.text for c in table.rows[0].cells]
    assert headers[5:8] == ["籍贯", "参加工作时间", "入党时间"] and headers[-2:] == ["党内职务", "行政职务"]
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert set(rows) == {"甲一", "乙二"}  # branch2's member is not on branch1's roster
    assert rows["甲一"][5] == "河北保定" and rows["甲一"][9] == "硕士研究生" and rows["甲一"][11] == "研究员"
    assert rows["乙二"][8] == "预备期"


def test_a_section_without_records_says_so_and_one_with_records_does_not(world):
    t, *_ = world

    @dataclass(frozen=True)
    class Silent(DocumentPart):
        key: str = "test.silent"
        section: str = "care"
        title: Any = ""
        order: int = 1

        def render(self, organization, period, document) -> None:
            return None

    providers = [*(p for p in document_providers() if p.section != "care"), Silent()]
    texts = _text(assemble.assemble(t.branch1, YEAR, providers=providers))
    assert _section_text(texts, "关心关怀") == [assemble.NO_RECORDS]
    assert _section_text(texts, "年度工作总结") == [assemble.NO_RECORDS]  # nothing written yet
    assert assemble.NO_RECORDS not in _section_text(texts, "基本情况")


def test_basics_and_committee_parts(world):
    t, p1, *_ = world
    document = assemble.assemble(t.branch1, YEAR)
    cells = _tables(document)
    assert "一总支" in cells  # the organisation above
    assert "2024年3月1日" in cells and "2027年3月1日" in cells
    assert "2名（正式党员1名，预备党员1名）" in cells
    assert "一支部第一党小组" in cells
    committee = next(tb for tb in document.tables if [c.text for c in tb.rows[0].cells][:3] == ["序号", "姓名", "职务"])
    assert [c.text for c in committee.rows[1].cells][1:3] == ["甲一", "书记"]


def test_the_checklist_groups_every_gap_by_section(world):
    t, *_ = world
    found = {key: [g.text for g in gaps] for key, _h, gaps in assemble.gaps(t.branch1, YEAR)}
    assert list(found)[:3] == ["basics", "committee", "roster"]
    assert "1名党员缺少籍贯" in found["roster"] and "2名党员缺少参加工作时间" in found["roster"]
    assert found["summary"] == ["尚未撰写年度工作总结"]
    assert found["basics"] == []  # branch1 has a current term
    assert found_for(t.branch2)["basics"] == ["未录入委员会届次（选举日期、届满日期）"]


def found_for(org):
    return {key: [g.text for g in gaps] for key, _h, gaps in assemble.gaps(org, YEAR)}


def test_the_summary_fills_the_figures_and_is_audited_with_history(world):
    t, p1, p2, sec1, sec2 = world
    with context.acting(sec1):
        services.save_summary(sec1, t.branch1.pk, YEAR, "本年度共有党员{党员人数}，召开党课{党课次数}。{未知}")
        services.save_summary(sec1, t.branch1.pk, YEAR, "本支部党员{党员人数}。")
    saved = YearSummary.objects.get(organization=t.branch1, year=YEAR)
    assert saved.updated_by == sec1 and saved.text == "本支部党员{党员人数}。"
    events = AuditEvent.objects.filter(object_id=str(saved.pk), object_type__contains="yearsummary").order_by("pk")
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].before == {"text": "本年度共有党员{党员人数}，召开党课{党课次数}。{未知}"}
    values = summary.figures(t.branch1, Period.year(YEAR))
    assert values["党员人数"] == "2名" and values["党课次数"] == "0次"
    assert summary.fill("党员{党员人数}{未知}", values) == "党员2名{未知}"
    texts = _text(assemble.assemble(t.branch1, YEAR))
    assert "本支部党员2名。" in _section_text(texts, "年度工作总结")
    assert found_for(t.branch1)["summary"] == []


def test_only_the_branch_s_own_secretary_writes_its_summary(world):
    from django.http import Http404

    t, p1, p2, sec1, sec2 = world
    with pytest.raises(Http404), context.acting(sec2):
        services.save_summary(sec2, t.branch1.pk, YEAR, "x")
    assert not YearSummary.objects.exists()


@dataclass(frozen=True)
class WithFiles(DocumentPart):
    key: str = "test.files"
    section: str = "members_meeting"
    title: Any = ""
    order: int = 99

    def render(self, organization, period, document) -> None:
        paper.paragraph(document, "带附件的会议")

    def attachments(self, organization, period):
        yield LedgerAttachment("members_meeting", "03-12 党员大会/签到表.jpg", "签到表", lambda: io.BytesIO(b"JPG"), 3)
        yield LedgerAttachment(
            "members_meeting", "03-12 党员大会/签到表.jpg", "签到表（二）", lambda: io.BytesIO(b"J2")
        )
        yield LedgerAttachment("members_meeting", "../../etc/passwd", "越界", lambda: io.BytesIO(b"x"))


@pytest.fixture
def with_files(monkeypatch):
    providers = [*document_providers(), WithFiles()]
    monkeypatch.setattr(assemble, "document_providers", lambda: sorted(providers, key=lambda p: p.order))
    return providers


def test_one_organisation_s_job_makes_the_docx_and_the_zip_with_its_index(world, with_files):
    from django.core.files.storage import default_storage

    t, p1, p2, sec1, sec2 = world
    with context.acting(sec1):
        run = runs.start(sec1, t.branch1, YEAR)
    run.refresh_from_db()
    assert run.job.status == "done" and run.job.percent == 100
    document = Document(default_storage.open(run.docx))
    texts = _text(document)
    assert "附件目录" in [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    with zipfile.ZipFile(default_storage.open(run.zip)) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(
            [
                "附件目录.xlsx",
                "附件/党员大会/03-12 党员大会/签到表.jpg",
                "附件/党员大会/03-12 党员大会/签到表（2）.jpg",
                "附件/党员大会/etc/passwd",
            ]
        )
        assert archive.read("附件/党员大会/03-12 党员大会/签到表.jpg") == b"JPG"
        sheet = load_workbook(io.BytesIO(archive.read("附件目录.xlsx"))).active
        listed = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert listed == [
        "党员大会/03-12 党员大会/签到表.jpg",
        "党员大会/03-12 党员大会/签到表（2）.jpg",
        "党员大会/etc/passwd",
    ]
    assert "党员大会/03-12 党员大会/签到表.jpg" in _tables(document)
    assert "带附件的会议" in texts
    assert run.pdf == "" and run.pdf_error == ""  # PDF off in these tests
    assert AuditEvent.objects.filter(object_type__contains="ledgerrun", object_id=str(run.pk)).count() == 2


def test_a_committee_job_makes_every_branch_s_ledger_with_progress(world, with_files):
    from django.core.files.storage import default_storage

    from dangjian.jobs.models import Job

    t, *_ = world
    office = make_user("office", "office", t.root)
    seen: list[tuple[int, int, str]] = []
    original = Job.progress

    def spy(self, done, total, message=""):
        seen.append((done, total, message))
        original(self, done, total, message)

    with context.acting(office):
        pytest.MonkeyPatch().setattr(Job, "progress", spy)
        try:
            run = runs.start(office, t.root, YEAR, "committee")
        finally:
            Job.progress = original
    run.refresh_from_db()
    assert run.branches == 3 and run.job.status == "done"
    assert [m for _d, _t, m in seen if "/" in m] == ["1/3 一支部", "2/3 二支部", "3/3 机关支部"]
    with zipfile.ZipFile(default_storage.open(run.zip)) as archive:
        names = archive.namelist()
    for branch in (t.branch1, t.branch2, t.office_branch):
        folder = f"{branch.code} {branch.name}/"
        assert f"{folder}{branch.name}{YEAR}年度台账.docx" in names
        assert f"{folder}附件目录.xlsx" in names


def test_the_pdf_is_made_with_libreoffice(world, settings):
    import shutil

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed (make debian-deps)")
    from django.core.files.storage import default_storage

    settings.LEDGER_PDF = True
    t, p1, p2, sec1, sec2 = world
    with context.acting(sec1):
        run = runs.start(sec1, t.branch1, YEAR)
    run.refresh_from_db()
    assert run.pdf_error == ""
    assert default_storage.open(run.pdf).read(5) == b"%PDF-"


def test_without_libreoffice_the_ledger_is_kept_with_the_reason(world, settings):
    settings.LEDGER_PDF = True
    settings.LEDGER_SOFFICE = "no-such-office-binary"
    t, p1, p2, sec1, sec2 = world
    with context.acting(sec1):
        run = runs.start(sec1, t.branch1, YEAR)
    run.refresh_from_db()
    assert run.docx and not run.pdf and "LibreOffice" in run.pdf_error


def test_the_cli_writes_the_ledger(world, tmp_path):
    t, *_ = world
    out = tmp_path / "l.docx"
    zipped = tmp_path / "a.zip"
    call_command("ledger", organization="T011", year=YEAR, out=str(out), attachments=str(zipped))
    chapters = [p.text for p in Document(out).paragraphs if p.style.name == "Heading 1"]
    assert [c for c in chapters if c in HEADINGS] == HEADINGS and chapters[-1] == "附件目录"
    assert zipfile.ZipFile(zipped).namelist() == ["附件目录.xlsx"]
    with pytest.raises(CommandError, match="不存在"):
        call_command("ledger", organization="NOPE", year=YEAR, out=str(out))
    with pytest.raises(CommandError, match="年度"):
        call_command("ledger", organization="T011", year=1990, out=str(out))


def test_the_pages_checklist_generate_poll_and_download(client, world):
    t, p1, p2, sec1, sec2 = world
    client.force_login(sec1)
    url = reverse("ledger:organization", args=[t.branch1.pk]) + f"?year={YEAR}"
    page = client.get(url).content.decode()
    assert "检查清单" in page and "1名党员缺少籍贯" in page and "尚未撰写年度工作总结" in page
    assert page.index("检查清单") < page.index('id="generate"')
    response = client.post(reverse("ledger:generate", args=[t.branch1.pk]), {"year": YEAR, "kind": "organization"})
    assert response.status_code == 302
    run = LedgerRun.objects.get()
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="ledger-runs"' in fragment and "hx-trigger" not in fragment  # done: no more polling
    download = client.get(reverse("ledger:download", args=[run.pk, "docx"]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(action="export", object_id=str(run.pk)).exists()
    assert client.get(reverse("ledger:download", args=[run.pk, "pdf"])).status_code == 404  # not made
    client.force_login(sec2)
    assert client.get(url).status_code == 404
    assert client.get(reverse("ledger:run", args=[run.pk])).status_code == 404
    assert client.get(reverse("ledger:download", args=[run.pk, "docx"])).status_code == 404


def test_the_summary_page_saves_and_shows_placeholders(client, world):
    t, p1, p2, sec1, sec2 = world
    client.force_login(sec1)
    url = reverse("ledger:summary", args=[t.branch1.pk]) + f"?year={YEAR}"
    page = client.get(url).content.decode()
    assert "{党员人数}" in page and "2名" in page
    assert client.post(url, {"text": "党员{党员人数}"}).status_code == 302
    assert YearSummary.objects.get().text == "党员{党员人数}"
    assert "修改记录" in client.get(url).content.decode()


def test_the_index_lists_the_organisations_in_scope(client, world):
    t, p1, p2, sec1, sec2 = world
    client.force_login(sec1)
    page = client.get(reverse("ledger:index")).content.decode()
    assert "一支部" in page and "二支部" not in page
    assert "一支部第一党小组" not in page  # a group keeps no ledger of its own


def test_the_organisation_page_reads_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    t, p1, p2, sec1, sec2 = world
    client.force_login(sec1)
    url = reverse("ledger:organization", args=[t.branch1.pk]) + f"?year={YEAR}"
    client.get(url)
    with django_assert_max_num_queries(80) as captured:
        client.get(url)
    before = len(captured.captured_queries)
    for n in range(6):
        make_member(t.branch1, f"新{n}")
    with context.acting(sec1):
        for _n in range(3):
            runs.start(sec1, t.branch1, YEAR)
    with django_assert_max_num_queries(before):
        client.get(url)
