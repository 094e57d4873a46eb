"""Evidence of a practical matter is checked by its content, not only its extension, as meeting attachments are
(one helper: ``core.uploads``); it is stored under a random name."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangjian.care import matter_services
from dangjian.care.models import Evidence, PracticalMatter

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program cannot be run in DOS mode."
HTML = b"<!DOCTYPE html><html><script>fetch('/api/people/')</script></html>"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


@pytest.fixture
def matter(care_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = care_world
    return PracticalMatter.objects.create(
        title="实事", year=timezone.localdate().year, organization=w.t.branch1, owner=w.jia, recorded_by=w.sec1
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("方案.pdf", EXE),
        ("方案.pdf", HTML),
        ("照片.jpg", HTML),
        ("报告.docx", _zip({"payload.js": b"alert(1)"})),  # a ZIP, but not a Word document
        ("报告.docx", EXE),
        ("台账.xlsx", HTML),
        ("公文.ofd", _zip({"run.sh": b"#!/bin/sh"})),
        ("旧版.doc", EXE),
    ],
)
def test_a_file_whose_content_is_not_its_extension_is_refused(care_world, matter, tmp_path, name, content):
    with pytest.raises(ValidationError, match="文件内容与扩展名不符"):
        matter_services.add_evidence(care_world.sec1, matter.pk, SimpleUploadedFile(name, content))
    assert not Evidence.objects.exists() and not list(tmp_path.rglob("*.*"))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("方案.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        ("照片.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("报告.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})),
        ("台账.xlsx", _xlsx()),
        ("公文.ofd", _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})),
        ("旧版.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
    ],
)
def test_real_documents_are_accepted_and_stored_under_a_random_name(care_world, matter, name, content):
    ev = matter_services.add_evidence(care_world.sec1, matter.pk, SimpleUploadedFile(name, content))
    assert ev.name == name and ev.size == len(content)
    stored = ev.file.name.rsplit("/", 1)[-1]
    assert name.rsplit(".", 1)[0] not in stored and stored.endswith(name[name.rindex(".") :].lower())
    with ev.file.open("rb") as fh:
        assert fh.read() == content


def test_the_page_refuses_an_executable_named_pdf_and_says_why(client, care_world, matter):
    client.force_login(care_world.sec1)
    upload = SimpleUploadedFile("佐证.pdf", EXE, content_type="application/pdf")
    response = client.post(reverse("care:evidence_add", args=[matter.pk]), {"file": upload}, follow=True)
    assert "文件内容与扩展名不符" in response.content.decode()
    assert not Evidence.objects.exists()
