"""Checking an uploaded file by its content, not only by its name (meeting attachments, care evidence, any new ones).

A file is accepted only when its extension is allowed *and* its bytes are of that type, so a renamed executable,
an HTML page or a script named ``.pdf`` is refused (GB/T 22239-2019 8.1.4.5 c: input validity checks). The
checks read the first bytes, or for the ZIP-based formats the archive's directory:

* PDF ``%PDF-``; JPEG ``FF D8 FF``; PNG its 8-byte signature;
* DOCX / XLSX (ECMA-376): a ZIP with ``[Content_Types].xml`` and ``word/document.xml`` / ``xl/workbook.xml``;
* OFD (GB/T 33190-2016, the national layout format): a ZIP with ``OFD.xml`` at its root;
* DOC / XLS (Office 97–2003): the OLE2 compound-file signature. It cannot tell a document from another compound
  file (e.g. an installer package) without parsing it; such files are only ever served as downloads
  (``Content-Disposition: attachment``), never rendered.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


def _starts_with(magic: bytes) -> Callable[[UploadedFile], bool]:
    def check(upload: UploadedFile) -> bool:
        upload.seek(0)
        head = upload.read(len(magic))
        upload.seek(0)
        return head == magic

    return check


def _zip_with(*members: str) -> Callable[[UploadedFile], bool]:
    def check(upload: UploadedFile) -> bool:
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
        return all(m in names for m in members)

    return check


@dataclass(frozen=True)
class FileType:
    content_type: str
    matches: Callable[[UploadedFile], bool]


JPEG = FileType("image/jpeg", _starts_with(b"\xff\xd8\xff"))
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TYPES: dict[str, FileType] = {
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": FileType("image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    ".pdf": FileType("application/pdf", _starts_with(b"%PDF-")),
    ".docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _zip_with("[Content_Types].xml", "word/document.xml"),
    ),
    ".xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _zip_with("[Content_Types].xml", "xl/workbook.xml"),
    ),
    ".ofd": FileType("application/ofd", _zip_with("OFD.xml")),
    ".doc": FileType("application/msword", _starts_with(OLE2)),
    ".xls": FileType("application/vnd.ms-excel", _starts_with(OLE2)),
}


def accept_attribute(extensions: tuple[str, ...]) -> str:
    """The ``accept`` attribute of a file input for these extensions (extensions and content types)."""
    return ",".join(sorted({*extensions, *(TYPES[e].content_type for e in extensions)}))


def check_upload(upload: UploadedFile, extensions: tuple[str, ...], max_bytes: int, kinds: str) -> tuple[str, str]:
    """(extension, content type) of an acceptable file; ValidationError on ``file`` in Chinese otherwise. ``kinds``
    names the allowed types for the messages, e.g. "JPG、PNG 图片或 PDF 文件"."""
    ext = os.path.splitext(os.path.basename(upload.name or ""))[1].lower()
    if ext not in extensions:
        raise ValidationError({"file": _("只能上传 %(kinds)s") % {"kinds": kinds}})
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": _("文件为空")})
    if upload.size > max_bytes:
        raise ValidationError({"file": _("文件不能超过 %(mb)d MB") % {"mb": max_bytes // (1024 * 1024)}})
    kind = TYPES[ext]
    if not kind.matches(upload):
        raise ValidationError({"file": _("文件内容与扩展名不符，只能上传真实的 %(kinds)s") % {"kinds": kinds}})
    return ext, kind.content_type
