"""The 请示报告 part of the yearly ledger: the year's table, the empty year, the gaps and the files."""

from __future__ import annotations

from datetime import timedelta

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.core import context, paper
from dangjian.core.contributions import LEDGER_SECTIONS, Period, document_providers
from dangjian.submissions import services
from dangjian.submissions.documents import RECORD
from dangjian.submissions.models import Submission


def _render(org, year):
    document = docx.Document()
    RECORD.render(org, Period.year(year), document)
    return document


def test_the_part_is_registered_under_its_section():
    assert RECORD in document_providers()
    assert RECORD.section == "submissions" and "submissions" in LEDGER_SECTIONS


def test_an_empty_year_says_so(w):
    document = _render(w.t.branch1, timezone.localdate().year)
    assert [p.text for p in document.paragraphs] == ["本年度无请示报告。"]


def test_the_years_table_of_the_sender_and_of_the_committee_that_received(w):
    year = timezone.localdate().year
    a = w.sent()
    with context.acting(w.office):
        services.answer(w.office, a.pk, "approved", "同意你支部按期换届。")
    w.draft(title="关于一支部增补委员的请示")  # a draft is not in the book
    personal = {"organization": w.t.root, "category": "personal", "kind": "report", "body": "情况如下。"}
    w.sent(user=w.leader, title="关于本人配偶从业的报告", **personal)  # nor a personal matter
    table = _render(w.t.branch1, year).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["文号", "文种", "标题", "报送日期", "办理情况"]
    assert rows[1][:3] == [a.document_number, "请示", "关于一支部委员会换届选举的请示"]
    assert rows[1][4].startswith("同意（") and rows[1][4].endswith("同意你支部按期换届。")
    assert len(rows) == 2
    committee = _render(w.t.root, year)
    assert "二、收到下级党组织的请示报告" in [p.text for p in committee.paragraphs]
    assert "关于本人配偶从业的报告" not in "".join(c.text for t in committee.tables for r in t.rows for c in r.cells)


def test_gaps_are_drafts_never_sent_and_requests_past_their_deadline(w):
    year = timezone.localdate().year
    w.draft(title="关于一支部增补委员的请示")
    late = w.sent()
    Submission.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    texts = [g.text for g in RECORD.gaps(w.t.branch1, Period.year(year))]
    due = paper.iso(timezone.localdate() - timedelta(days=2))
    assert texts == [
        "“关于一支部增补委员的请示”拟稿后未报送",
        f"一支部“关于一支部委员会换届选举的请示”（{late.document_number}）超过答复期限{due}仍未答复",
    ]
    assert [g.text for g in RECORD.gaps(w.t.root, Period.year(year))] == texts[1:]  # the committee owes the answer


def test_the_files_sent_are_the_parts_attachments(w, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sub = w.draft()
    with context.acting(w.sec1):
        services.add_attachment(w.sec1, sub.pk, SimpleUploadedFile("名单.pdf", b"%PDF-1.4 list"))
        sub = services.send(w.sec1, sub.pk)
    files = list(RECORD.attachments(w.t.branch1, Period.year(sub.year)))
    assert [f.label for f in files] == [f"{sub.document_number} {sub.title}：名单.pdf"]
    with files[0].open() as handle:
        assert handle.read() == b"%PDF-1.4 list"


def test_queries_stay_the_same_as_submissions_grow(w, django_assert_num_queries):
    year = timezone.localdate().year
    w.sent()
    with django_assert_num_queries(2):
        _render(w.t.root, year)
    for n in range(6):
        other = n % 2
        w.sent(
            w.sec2 if other else w.sec1, title=f"关于第{n}项的请示", organization=w.t.branch2 if other else w.t.branch1
        )
    with django_assert_num_queries(2):
        _render(w.t.root, year)


def test_facts_count_the_requests_sent_and_those_answered_on_time(w):
    from dangjian.submissions.facts import ON_TIME, SENT, SubmissionFacts

    year = timezone.localdate().year
    on_time, late, waiting = w.sent(), w.sent(title="关于一支部增补委员的请示"), w.sent(title="关于调整党小组的请示")
    w.sent(kind="report", category="life_meeting", title="关于组织生活会情况的报告", body="情况如下。")
    with context.acting(w.office):
        services.answer(w.office, on_time.pk, "approved", "同意")
        services.answer(w.office, late.pk, "returned", "材料不全")
    yesterday = timezone.localdate() - timedelta(days=1)
    Submission.objects.filter(pk=late.pk).update(deadline=yesterday - timedelta(days=1))
    Submission.objects.filter(pk=waiting.pk).update(deadline=yesterday)
    Submission.objects.filter(pk=on_time.pk).update(deadline=yesterday)
    Submission.objects.filter(pk=late.pk).update(answered_at=timezone.now())
    Submission.objects.filter(pk=on_time.pk).update(answered_at=timezone.now() - timedelta(days=3))
    values = {
        (v.key, v.organization_id): v.value
        for v in SubmissionFacts().compute([w.t.root, w.t.branch2], Period.year(year))
    }
    assert values[(SENT, w.t.root.pk)] == 3 and values[(SENT, w.t.branch2.pk)] == 0
    assert values[(ON_TIME, w.t.root.pk)] == 33.3  # 1 of the 3 due was answered by its deadline
    assert values[(ON_TIME, w.t.branch2.pk)] is None
