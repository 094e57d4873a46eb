"""The pages: the list with its filters, boxes and export, constant queries; the detail with files, history and
actions; the official .docx; the personal matters kept out of others' lists."""

from __future__ import annotations

import io
from datetime import timedelta

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangjian.core import context
from dangjian.sheets.testing import list_rows
from dangjian.submissions import services
from dangjian.submissions.models import Status, Submission

LIST = reverse("submissions:list")


def _titles(response) -> list[str]:
    return [s.title for s in response.context["page"].object_list]


def test_the_senders_list_filters_by_kind_status_and_year(w, client):
    request = w.sent()
    w.sent(kind="report", category="life_meeting", title="关于组织生活会情况的报告", body="情况如下。")
    w.draft(title="关于一支部增补委员的请示")
    Submission.objects.filter(pk=request.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    client.force_login(w.sec1)
    assert len(_titles(client.get(LIST))) == 3
    assert _titles(client.get(LIST, {"kind": "report"})) == ["关于组织生活会情况的报告"]
    assert _titles(client.get(LIST, {"status": "overdue"})) == ["关于一支部委员会换届选举的请示"]
    assert _titles(client.get(LIST, {"status": "draft"})) == ["关于一支部增补委员的请示"]
    assert _titles(client.get(LIST, {"q": "〔"})) == ["关于组织生活会情况的报告", "关于一支部委员会换届选举的请示"]
    assert _titles(client.get(LIST, {"year": timezone.localdate().year - 1})) == []
    assert _titles(client.get(LIST, {"sort": "title"}))[0] == "关于一支部增补委员的请示"
    assert "超期" in client.get(LIST).content.decode()


def test_the_office_receives_what_was_sent_never_the_drafts_and_the_branch_sees_only_its_own(w, client):
    w.sent()
    w.draft(title="关于一支部增补委员的请示")
    w.sent(user=w.sec2, organization=w.t.branch2, title="关于二支部换届选举的请示")
    client.force_login(w.office)
    received = client.get(LIST)
    assert received.context["box"] == "received"
    assert sorted(_titles(received)) == ["关于一支部委员会换届选举的请示", "关于二支部换届选举的请示"]
    client.force_login(w.sec2)
    assert _titles(client.get(LIST, {"box": "received"})) == ["关于二支部换届选举的请示"]  # no office: own box


def test_the_list_keeps_its_queries_as_submissions_grow(w, client, django_assert_max_num_queries):
    for n in range(2):
        w.sent(title=f"关于第{n}项的请示")
    client.force_login(w.office)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"box": "sent"})
    for n in range(12):
        other = n % 2
        w.sent(
            w.sec2 if other else w.sec1,
            title=f"关于第{n + 2}项的请示",
            organization=w.t.branch2 if other else w.t.branch1,
        )
    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST, {"box": "sent"})
    assert len(_titles(response)) == 14


def test_the_export_is_the_filtered_ledger(w, client):
    w.sent()
    w.sent(kind="report", category="life_meeting", title="关于组织生活会情况的报告", body="情况如下。")
    client.force_login(w.sec1)
    response = client.get(reverse("submissions:export"), {"kind": "request", "box": "sent"})
    header, *rows = list_rows(response.content)
    assert header[:4] == ("文号", "文种", "类别", "标题")
    assert [r[3] for r in rows] == ["关于一支部委员会换届选举的请示"]
    assert rows[0][0].startswith("一支部〔")


def test_detail_shows_the_files_the_history_and_the_actions_of_each_side(w, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sub = w.draft()
    client.force_login(w.sec1)
    url = reverse("submissions:detail", args=[sub.pk])
    upload = reverse("submissions:attachment_upload", args=[sub.pk])
    client.post(upload, {"file": SimpleUploadedFile("候选人名单.pdf", b"%PDF-1.4 x")})
    response = client.post(upload, {"file": SimpleUploadedFile("evil.pdf", b"MZ\x90\x00")})
    page = client.get(url).content.decode()
    assert "候选人名单.pdf" in page and "evil.pdf" not in page
    assert reverse("submissions:send", args=[sub.pk]) in page
    client.post(reverse("submissions:send", args=[sub.pk]))
    a = sub.attachments.get()
    download = client.get(reverse("submissions:attachment", args=[sub.pk, a.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"
    client.force_login(w.office)
    page = client.get(url).content.decode()
    assert reverse("submissions:answer", args=[sub.pk]) in page
    assert "上传附件 候选人名单.pdf" in page and "报送" in page
    response = client.post(reverse("submissions:answer", args=[sub.pk]), {"decision": "returned", "text": ""})
    assert "退回时请写明退回原因" in response.content.decode()
    client.post(reverse("submissions:answer", args=[sub.pk]), {"decision": "returned", "text": "名单不全"})
    sub.refresh_from_db()
    assert (sub.status, sub.answer_text) == (Status.RETURNED, "名单不全")
    client.force_login(w.sec1)
    page = client.get(url).content.decode()
    assert "名单不全" in page and reverse("submissions:resubmit", args=[sub.pk]) in page


def test_send_asks_for_confirmation_and_refuses_two_matters_on_the_page(w, client):
    sub = w.draft(body="拟换届，请批示。另拟增补委员，请予批准。")
    client.force_login(w.sec1)
    send = reverse("submissions:send", args=[sub.pk])
    assert "确认报送" in client.get(send).content.decode()
    assert "一文一事" in client.get(reverse("submissions:detail", args=[sub.pk])).content.decode()
    response = client.post(send, follow=True)
    assert "一文一事" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == Status.DRAFT


def test_the_docx_has_the_letterhead_number_title_addressee_body_attachments_and_signature(
    w, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    sub = w.draft()
    with context.acting(w.sec1):
        services.add_attachment(w.sec1, sub.pk, SimpleUploadedFile("候选人名单.pdf", b"%PDF-1.4 x"))
        sub = services.send(w.sec1, sub.pk)
    client.force_login(w.office)
    response = client.get(reverse("submissions:docx", args=[sub.pk]))
    document = docx.Document(io.BytesIO(response.content))
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    today = timezone.localdate()
    assert lines[:5] == [
        "中共一支部文件",
        sub.document_number,
        "关于一支部委员会换届选举的请示",
        "中共测试所党委：",
        "一支部委员会任期届满，拟召开党员大会进行换届选举。",
    ]
    assert "附件：候选人名单.pdf" in lines
    assert lines[-3:] == ["中共一支部", f"{today.year}年{today.month}月{today.day}日", "（联系人：甲一）"]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_a_personal_matter_is_not_in_a_secretarys_list_and_its_page_is_404(w, client):
    data = {"organization": w.t.root, "category": "personal", "kind": "report", "body": "情况如下。"}
    personal = w.sent(user=w.leader, title="关于本人配偶从业的报告", **data)
    client.force_login(w.committee1)
    assert "关于本人配偶从业的报告" not in client.get(LIST, {"box": "sent"}).content.decode()
    assert client.get(reverse("submissions:detail", args=[personal.pk])).status_code == 404
    client.force_login(w.office)
    assert client.get(reverse("submissions:detail", args=[personal.pk])).status_code == 200


def test_new_draft_through_the_form(w, client):
    client.force_login(w.sec1)
    response = client.post(
        reverse("submissions:new"),
        {
            "organization": w.t.branch1.pk,
            "kind": "request",
            "category": "major",
            "addressee": "",
            "title": "关于调整党小组设置的请示",
            "body": "拟调整党小组。\n妥否，请批示。",
        },
    )
    sub = Submission.objects.get(title="关于调整党小组设置的请示")
    assert response.status_code == 302 and response["Location"] == reverse("submissions:detail", args=[sub.pk])
    assert (sub.addressee, sub.drafted_by, sub.status) == (w.t.root, w.sec1, Status.DRAFT)


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 16


def test_files_are_served_as_downloads_in_a_sandbox_photos_inline_on_request_and_removed_ones_no_more(
    w, client, settings, tmp_path
):
    """The shared attachment steps (``core.attachments``) as the 请示报告 pages use them."""
    settings.MEDIA_ROOT = tmp_path
    sub = w.draft()
    client.force_login(w.sec1)
    upload = reverse("submissions:attachment_upload", args=[sub.pk])
    client.post(upload, {"file": SimpleUploadedFile("名单.pdf", b"%PDF-1.4 x")})
    client.post(upload, {"file": SimpleUploadedFile("合影.png", PNG)})
    pdf, png = sub.attachments.order_by("pk")
    pdf_url = reverse("submissions:attachment", args=[sub.pk, pdf.pk])
    png_url = reverse("submissions:attachment", args=[sub.pk, png.pk])
    for response in (client.get(pdf_url), client.get(pdf_url + "?inline=1")):
        assert response["Content-Disposition"].startswith("attachment;")  # a PDF is never shown in the page
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response["Cache-Control"] == "private, no-store"
    assert client.get(png_url + "?inline=1")["Content-Disposition"].startswith("inline;")
    assert client.get(png_url)["Content-Disposition"].startswith("attachment;")
    remove = reverse("submissions:attachment_remove", args=[sub.pk, png.pk])
    assert "确认删除" in client.get(remove).content.decode()
    client.post(remove)
    png.refresh_from_db()
    assert png.removed_at is not None and png.file.storage.exists(png.file.name)  # the file stays for the record
    assert client.get(png_url).status_code == 404
    client.force_login(w.sec2)
    assert client.get(pdf_url).status_code == 404  # another branch's file
