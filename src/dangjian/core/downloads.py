"""One way to hand a generated file to the browser as a download, whatever its name.

Most downloads carry Chinese names (``发展党员_20261206.xlsx``, ``张三_拟发展公示.docx``). A header holds only
Latin-1, so the name goes in RFC 6266's ``filename*=UTF-8''…`` (RFC 5987 percent-encoding), which every current
browser reads, with a plain ASCII ``filename="…"`` beside it for the clients that do not (old mail gateways, some
download managers). Quotes, backslashes and line breaks never reach the header. The content type follows the
extension, so a view cannot send a Word file labelled as a spreadsheet.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath
from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {
    ".xlsx": XLSX,
    ".docx": DOCX,
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json; charset=utf-8",
}
OCTET = "application/octet-stream"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def content_type_for(filename: str) -> str:
    """The type a download of this name is sent with; unknown extensions are plain bytes."""
    return CONTENT_TYPES.get(PurePath(filename).suffix.lower(), OCTET)


def ascii_fallback(filename: str) -> str:
    """An ASCII name for clients that ignore ``filename*``: accents dropped, other letters folded to ``_``,
    the extension kept (``发展党员_20261206.xlsx`` → ``20261206.xlsx``, ``张三.docx`` → ``download.docx``)."""
    path = PurePath(filename.replace("\\", "/").split("/")[-1] or "download")
    folded = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    stem = _UNSAFE.sub("_", folded).strip("._-") or "download"
    suffix = _UNSAFE.sub("", path.suffix)
    return stem + (suffix if suffix not in ("", ".") else "")


def disposition(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition value: the ASCII fallback, and the exact name as ``filename*`` when it differs."""
    kind = "inline" if inline else "attachment"
    name = "".join(c for c in filename if c.isprintable())  # no line breaks or control characters in a header
    fallback = ascii_fallback(name)
    if fallback == name:
        return f'{kind}; filename="{fallback}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment(content: bytes, filename: str, content_type: str | None = None) -> HttpResponse:
    """A response that downloads ``content`` as ``filename`` (type from the extension unless given)."""
    response = HttpResponse(content, content_type=content_type or content_type_for(filename))
    response["Content-Disposition"] = disposition(filename)
    return response
