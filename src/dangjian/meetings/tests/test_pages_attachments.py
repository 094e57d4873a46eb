import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.meetings import attachments, services
from dangjian.meetings.models import Attachment

from .test_pages_world import make_world, plan

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 64


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_world()


def attachments_section(response) -> str:
    return response.content.decode().split('<section id="attachments">')[1].split("</section>")[0]


def upload(client, meeting, name: str, content: bytes):
    f = SimpleUploadedFile(name, content)
    return client.post(reverse("meetings:attachment_upload", args=[meeting.pk]), {"file": f}, follow=True)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("合影.jpg", JPEG, "image/jpeg"), ("签到表.JPEG", JPEG, "image/jpeg"), ("现场照片.png", PNG, "image/png")]
    + [("会议记录扫描件.pdf", PDF, "application/pdf")],
)
def test_photos_and_pdfs_are_accepted_and_stored_under_a_random_name(
    client, world, tmp_path, name, content, content_type
):
    w = world
    m = plan(w.sec1, w.t.branch1)
    client.force_login(w.sec1)
    response = upload(client, m, name, content)
    assert f"已上传 {name}" in response.content.decode()
    att = Attachment.objects.get()
    assert (att.name, att.content_type, att.size, att.uploaded_by) == (name, content_type, len(content), w.sec1)
    stored = att.file.name.rsplit("/", 1)[-1]
    assert att.file.name.startswith(f"meetings/{m.pk}/") and stored.rsplit(".", 1)[0] != name.rsplit(".", 1)[0]
    assert (tmp_path / att.file.name).read_bytes() == content
    assert AuditEvent.objects.filter(object_type="meetings.attachment", object_id=str(att.pk), action="create").exists()
    assert name in attachments_section(client.get(reverse("meetings:detail", args=[m.pk])))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "只能上传 JPG、PNG 图片或 PDF 文件"),
        ("page.html", b"<html>", "只能上传 JPG、PNG 图片或 PDF 文件"),
        ("fake.jpg", b"<html><script>alert(1)</script>", "文件内容与扩展名不符"),
        ("fake.pdf", PNG, "文件内容与扩展名不符"),  # a real PNG named .pdf: both must agree
        ("fake.png", PDF, "文件内容与扩展名不符"),
        ("noext", PDF, "只能上传 JPG、PNG 图片或 PDF 文件"),
    ],
)
def test_the_extension_and_the_first_bytes_must_agree_on_an_allowed_type(client, world, name, content, message):
    w = world
    m = plan(w.sec1, w.t.branch1)
    client.force_login(w.sec1)
    response = upload(client, m, name, content)
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_files_over_the_size_limit_are_refused(client, world, monkeypatch):
    w = world
    m = plan(w.sec1, w.t.branch1)
    assert attachments.MAX_ATTACHMENT_BYTES == 10 * 1024 * 1024
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (attachments.MAX_ATTACHMENT_BYTES - len(PDF) + 1))
    with pytest.raises(ValidationError, match="不能超过 10 MB"):
        attachments.add_attachment(w.sec1, m.pk, big)
    exact = SimpleUploadedFile("exact.pdf", PDF + b"0" * (attachments.MAX_ATTACHMENT_BYTES - len(PDF)))
    assert attachments.add_attachment(w.sec1, m.pk, exact).size == attachments.MAX_ATTACHMENT_BYTES
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1024 * 1024)
    client.force_login(w.sec1)
    response = upload(client, m, "scan.pdf", PDF + b"0" * (1024 * 1024))
    assert "文件不能超过 1 MB" in response.content.decode()
    assert "空文件" in upload(client, m, "empty.pdf", b"").content.decode()
    assert Attachment.objects.count() == 1


def test_downloads_are_scoped_and_never_public(client, world):
    w = world
    m = plan(w.sec1, w.t.group1, kind="group_meeting")  # full[1] (the member) is due
    att = attachments.add_attachment(w.sec1, m.pk, SimpleUploadedFile("记录.pdf", PDF))
    url = reverse("meetings:attachment", args=[m.pk, att.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(w.sec2)
    assert client.get(url).status_code == 404
    client.force_login(w.member)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and "%E8%AE%B0%E5%BD%95.pdf" in response["Content-Disposition"]
    )
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.get(url, {"inline": "1"})["Content-Disposition"].startswith("attachment;")  # PDFs never inline
    photo = attachments.add_attachment(w.sec1, m.pk, SimpleUploadedFile("a.png", PNG))
    inline = client.get(reverse("meetings:attachment", args=[m.pk, photo.pk]), {"inline": "1"})
    assert inline["Content-Disposition"].startswith("inline;") and inline["Content-Type"] == "image/png"


def test_removal_is_soft_audited_and_asks_first(client, world, tmp_path):
    w = world
    m = plan(w.sec1, w.t.branch1)
    att = attachments.add_attachment(w.sec1, m.pk, SimpleUploadedFile("a.jpg", JPEG))
    client.force_login(w.sec1)
    url = reverse("meetings:attachment_remove", args=[m.pk, att.pk])
    assert "确定删除吗" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    att.refresh_from_db()
    assert att.removed_at is not None and (tmp_path / att.file.name).exists()  # the file stays for the record
    assert AuditEvent.objects.filter(object_type="meetings.attachment", object_id=str(att.pk), action="delete").exists()
    assert client.get(reverse("meetings:attachment", args=[m.pk, att.pk])).status_code == 404
    assert "a.jpg" not in attachments_section(client.get(reverse("meetings:detail", args=[m.pk])))
    assert client.post(url).status_code == 404


def test_a_locked_meeting_keeps_its_attachments_read_only(client, world):
    w = world
    m = plan(w.sec1, w.t.branch1)
    att = attachments.add_attachment(w.sec1, m.pk, SimpleUploadedFile("a.pdf", PDF))
    services.mark_held(w.sec1, m.pk)
    services.set_attendance(w.sec1, m.pk, {p.pk: ("present", "") for p in w.full})
    services.record_minutes(w.sec1, m.pk, "<p>记录</p>", [])
    services.lock(w.sec1, m.pk)
    client.force_login(w.sec1)
    response = upload(client, m, "late.pdf", PDF)
    assert "会议记录已归档，附件不能再增删" in response.content.decode()
    response = client.post(reverse("meetings:attachment_remove", args=[m.pk, att.pk]), follow=True)
    assert "会议记录已归档，附件不能再增删" in response.content.decode()
    assert Attachment.objects.filter(removed_at__isnull=True).count() == 1
    section = attachments_section(client.get(reverse("meetings:detail", args=[m.pk])))
    assert "a.pdf" in section and 'id="upload-form"' not in section and "删除" not in section
    assert client.get(reverse("meetings:attachment", args=[m.pk, att.pk])).status_code == 200
    with pytest.raises(ValidationError):
        attachments.remove_attachment(w.sec1, m.pk, att.pk)
