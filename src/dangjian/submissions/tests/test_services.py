"""The writes of 请示报告: numbering, 一文一事, the status flow, who answers, and personal matters kept private."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from dangjian.audit.services import history_of
from dangjian.core import context
from dangjian.rules import services as rule_store
from dangjian.submissions import queries, services
from dangjian.submissions.models import Status, Submission
from dangjian.submissions.rule_data import ANSWER_DAYS
from dangjian.submissions.rules import add_working_days


def _as(user, fn, *args, **kwargs):
    with context.acting(user):
        return fn(user, *args, **kwargs)


def test_numbers_follow_each_senders_year_and_are_taken_when_sent(w):
    draft = w.draft()
    assert draft.document_number == "" and draft.seq is None
    a = w.sent()
    b = w.sent(title="关于一支部增补委员的请示")
    c = w.sent(user=w.sec2, organization=w.t.branch2)
    year = timezone.localdate().year
    assert (a.document_number, b.document_number) == (f"一支部〔{year}〕1号", f"一支部〔{year}〕2号")
    assert c.document_number == f"二支部〔{year}〕1号"
    assert a.addressee == w.t.root  # the nearest 党委 above, past the general branch


def test_a_request_gets_its_deadline_from_the_rule_store(w):
    today = timezone.localdate()
    assert w.sent().deadline == add_working_days(today, 10)
    with context.acting(w.office):
        rule_store.revise(w.office, ANSWER_DAYS, "5", today)
    assert w.sent(title="关于一支部增补委员的请示").deadline == add_working_days(today, 5)
    report = w.sent(kind="report", category="life_meeting", title="关于组织生活会情况的报告", body="情况如下。")
    assert report.deadline is None


def test_sending_checks_one_matter_and_leaves_the_draft_as_it_was(w):
    sub = w.draft(body="拟进行换届选举，请批示。另拟增补委员，请予批准。")
    with pytest.raises(ValidationError) as exc:
        _as(w.sec1, services.send, sub.pk)
    assert "一文一事" in str(exc.value.message_dict["body"])
    sub.refresh_from_db()
    assert sub.status == Status.DRAFT and sub.document_number == ""
    report = w.draft(kind="report", category="other", title="关于三季度工作的报告", body="工作如下。妥否，请批示。")
    with pytest.raises(ValidationError, match="报告中不得夹带请示事项"):
        _as(w.sec1, services.send, report.pk)


def test_a_request_is_received_and_approved_by_the_office_above(w):
    sub = w.sent()
    _as(w.office, services.receive, sub.pk)
    done = _as(w.office, services.answer, sub.pk, "approved", "同意。")
    assert (done.status, done.answered_by, done.answer_text) == (Status.APPROVED, w.office, "同意。")
    changes = [e.detail.get("change") for e in history_of(done).order_by("pk") if e.detail]
    assert changes == ["send", "receive", "answer"]
    with pytest.raises(ValidationError):
        _as(w.office, services.answer, sub.pk, "returned", "再议")


def test_a_return_needs_its_reasons_and_is_sent_again_as_a_new_version(w):
    sub = w.sent()
    with pytest.raises(ValidationError) as exc:
        _as(w.office, services.answer, sub.pk, "returned", " ")
    assert "退回原因" in str(exc.value.message_dict["text"])
    _as(w.office, services.answer, sub.pk, "returned", "请补充支部大会记录")
    again = _as(w.sec1, services.resubmit, sub.pk)
    assert (again.previous_id, again.version, again.status, again.title) == (sub.pk, 2, Status.DRAFT, sub.title)
    with pytest.raises(ValidationError):
        _as(w.sec1, services.resubmit, sub.pk)
    sent = _as(w.sec1, services.send, again.pk)
    assert sent.seq == 2


def test_a_report_is_read_not_approved(w):
    report = w.sent(kind="report", category="life_meeting", title="关于组织生活会情况的报告", body="情况如下。")
    with pytest.raises(ValidationError):
        _as(w.office, services.answer, report.pk, "approved", "")
    assert _as(w.office, services.answer, report.pk, "read", "").status == Status.READ


def test_only_the_office_above_answers(w):
    sub = w.sent()
    with pytest.raises(ValidationError):  # the branch's own secretary sees it but does not answer
        _as(w.sec1, services.answer, sub.pk, "approved", "")
    with pytest.raises(Http404):  # the office of another branch does not even see it
        _as(w.office_b2, services.receive, sub.pk)
    b2 = w.sent(user=w.sec2, organization=w.t.branch2)
    with pytest.raises(ValidationError):  # an office over the sender only, not over the addressee
        _as(w.office_b2, services.answer, b2.pk, "approved", "")
    assert services.actions(w.office, sub) == ["receive", "answer"]
    assert services.actions(w.sec1, sub) == []


def test_the_addressee_must_be_above_the_sender(w):
    with pytest.raises(ValidationError) as exc:
        w.draft(addressee=w.t.branch2)
    assert "上级党组织" in str(exc.value.message_dict["addressee"])
    assert w.draft(addressee=w.t.general).addressee == w.t.general
    with pytest.raises(ValidationError):
        w.draft(user=w.office, organization=w.t.root)  # nothing above the root


def test_only_a_draft_is_edited_or_withdrawn_and_withdrawing_needs_a_reason(w):
    draft = w.draft()
    with pytest.raises(ValidationError):
        _as(w.sec1, services.withdraw, draft.pk, "")
    _as(w.sec1, services.withdraw, draft.pk, "内容有误，重新起草")
    assert not Submission.objects.filter(pk=draft.pk).exists()
    assert Submission.all_objects.get(pk=draft.pk).withdraw_reason == "内容有误，重新起草"
    sent = w.sent()
    with pytest.raises(ValidationError):
        _as(w.sec1, services.withdraw, sent.pk, "不报了")
    with pytest.raises(ValidationError):
        _as(w.sec1, services.save_draft, {"title": "改"}, sent.pk)


def test_a_committee_member_reads_but_does_not_draft(w):
    sub = w.sent()
    assert queries.visible(w.committee1).filter(pk=sub.pk).exists()
    with pytest.raises(ValidationError):
        w.draft(user=w.committee1)


def test_a_personal_matter_is_seen_only_by_its_leader_and_once_sent_by_the_office(w):
    with pytest.raises(ValidationError) as exc:
        w.draft(category="personal", kind="report", title="关于本人事项的报告", body="事项如下。")
    assert "领导本人" in str(exc.value.message_dict["category"])
    data = {"organization": w.t.root, "category": "personal", "kind": "report", "title": "关于本人配偶从业的报告"}
    personal = w.draft(user=w.leader, body="情况如下。", **data)
    assert personal.addressee == w.t.root  # a leader reports to the committee they sit on

    def seen_by(user):
        return queries.visible(user).filter(pk=personal.pk).exists()

    assert [seen_by(u) for u in (w.leader, w.office, w.sec1, w.committee1)] == [True, False, False, False]
    _as(w.leader, services.send, personal.pk)
    assert [seen_by(u) for u in (w.leader, w.office, w.sec1, w.committee1)] == [True, True, False, False]
    with pytest.raises(ValidationError):  # not by the office's hand in the leader's name
        _as(w.office, services.save_draft, {"title": "x"}, personal.pk)
    assert _as(w.office, services.answer, personal.pk, "read", "").status == Status.READ


def test_files_are_checked_by_their_content_and_frozen_once_sent(w, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    sub = w.draft()
    with pytest.raises(ValidationError, match="文件内容与扩展名不符"):
        _as(w.sec1, services.add_attachment, sub.pk, SimpleUploadedFile("名单.pdf", b"<html>not a pdf"))
    a = _as(w.sec1, services.add_attachment, sub.pk, SimpleUploadedFile("名单.pdf", b"%PDF-1.4 list"))
    assert a.name == "名单.pdf" and a.file.name.endswith(".pdf") and "名单" not in a.file.name
    _as(w.sec1, services.send, sub.pk)
    with pytest.raises(ValidationError, match="报送后附件不能再增删"):
        _as(w.sec1, services.remove_attachment, sub.pk, a.pk)
    _as(w.office, services.answer, sub.pk, "returned", "名单不全")
    again = _as(w.sec1, services.resubmit, sub.pk)
    assert [x.name for x in again.attachments.all()] == ["名单.pdf"]
