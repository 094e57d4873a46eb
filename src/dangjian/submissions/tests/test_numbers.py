"""The 文号 of a branch's documents: one sequence per issuing organisation and year (GB/T 9704 §7.2.4), shared by
its 请示报告 and the printed 请示 of an admission (``core.document_numbers``)."""

from __future__ import annotations

import importlib
from datetime import date

from django.utils import timezone

from dangjian.core import context
from dangjian.core.document_numbers import DocumentNumber, next_number
from dangjian.development import documents as development_documents
from dangjian.development import services as development
from dangjian.development.models import Development
from dangjian.testing import make_person


def _case(w, name: str):
    with context.acting(w.sec1):
        person = make_person(name, department=w.t.dept1)
        return development.open_case(w.sec1, person.pk, w.t.branch1.pk, date(2024, 1, 2))


def test_an_admission_request_and_a_submission_of_one_branch_take_consecutive_numbers(w):
    year = timezone.localdate().year
    printed = development_documents.request_number(_case(w, "钱其二"))
    sent = w.sent()
    again = development_documents.request_number(_case(w, "孙其三"))
    assert (printed, sent.document_number, again) == (
        f"一支部〔{year}〕1号",
        f"一支部〔{year}〕2号",
        f"一支部〔{year}〕3号",
    )
    # another branch and another year count on their own
    assert w.sent(user=w.sec2, organization=w.t.branch2).document_number == f"二支部〔{year}〕1号"
    assert next_number(w.t.branch1.pk, year + 1) == 1
    assert DocumentNumber.objects.get(organization=w.t.branch1, year=year).last == 3


def test_a_number_is_taken_with_the_counters_row_locked(w, monkeypatch):
    """Two documents issued at once must not read the same last number: the counter is read ``select_for_update``
    (a real row lock on PostgreSQL; SQLite serialises writers on its own)."""
    locked = []
    real = DocumentNumber.objects.select_for_update

    def spy(*args, **kwargs):
        locked.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(DocumentNumber.objects, "select_for_update", spy)
    year = timezone.localdate().year
    assert [next_number(w.t.branch1.pk, year), next_number(w.t.branch1.pk, year)] == [1, 2]
    assert len(locked) == 2
    assert w.sent().document_number == f"一支部〔{year}〕3号"
    development_documents.request_number(_case(w, "钱其二"))
    assert len(locked) == 4  # sending a submission and printing a request go through the same locked counter


def test_the_counters_start_past_the_numbers_issued_before_they_were_shared(w):
    """The data migration: an organisation's counter starts at the highest number either kind already used."""
    from django.apps import apps

    backfill = importlib.import_module("dangjian.core.migrations.0002_document_numbers_from_issued")
    year = timezone.localdate().year
    w.sent(), w.sent(title="关于一支部增补委员的请示")
    dev = _case(w, "钱其二")
    Development.all_objects.filter(pk=dev.pk).update(request_year=year, request_seq=5)  # printed before
    DocumentNumber.objects.all().update(last=0)  # as before the counters existed
    backfill.forwards(apps, None)
    assert DocumentNumber.objects.get(organization=w.t.branch1, year=year).last == 5
    assert w.sent(title="关于一支部换届选举结果的报告", kind="report", body="情况如下。").document_number == (
        f"一支部〔{year}〕6号"
    )
