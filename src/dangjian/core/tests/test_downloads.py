"""Downloads with Chinese names: the exact name in RFC 5987 ``filename*``, an ASCII fallback beside it."""

from __future__ import annotations

from urllib.parse import unquote

from dangjian.core.downloads import DOCX, XLSX, ascii_fallback, attachment, disposition


def test_chinese_filename_is_encoded_with_an_ascii_fallback():
    response = attachment(b"PK\x03\x04", "发展党员_20261206.xlsx")
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="20261206.xlsx"; ')
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "发展党员_20261206.xlsx" and encoded.isascii()
    assert response["Content-Type"] == XLSX and response.content == b"PK\x03\x04"


def test_ascii_names_types_and_unsafe_characters():
    response = attachment(b"x", "dues-2026-03.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="dues-2026-03.xlsx"'
    assert attachment(b"x", "张三_拟发展公示.docx")["Content-Type"] == DOCX
    assert attachment(b"x", "a.PDF")["Content-Type"] == "application/pdf"
    assert attachment(b"x", "a.bin")["Content-Type"] == "application/octet-stream"
    assert attachment(b"x", "a.xlsx", "text/plain")["Content-Type"] == "text/plain"
    assert ascii_fallback("张三.docx") == "download.docx"
    # a quote or a line break in a stored name cannot end the header value or start a new header
    header = disposition('报告"\r\nX-Evil: 1.pdf', inline=True)
    assert header.startswith("inline; ") and "\r" not in header and "\n" not in header
    assert header.count('"') == 2
