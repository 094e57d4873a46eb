"""The account sheets print on A4, one page per branch, as LibreOffice renders them (issue 13 §4)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date

import pytest

from dangjian.accounts.provision_sheet import SheetRow, docx_bytes, xlsx_bytes
from dangjian.core.paper import FONTCONFIG

SOFFICE = shutil.which("soffice")
A4_POINTS = (595.3, 841.9)
ROWS = [
    SheetRow("一支部", "张三", "15123xzs", "fE?Hd5W4p8mT"),
    SheetRow("一支部", "李四", "15073ls", "fx#py@ey#WR5"),
    SheetRow("二支部", "王五", "12341ww", "Abc@1234xyzQ"),
]


def _pdf(tmp_path, name: str, content: bytes) -> bytes:
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs LibreOffice (make debian-deps)")
        pytest.skip("LibreOffice is not installed (make debian-deps)")
    source = tmp_path / name
    source.write_bytes(content)
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG)}
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf", name],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )
    return source.with_suffix(".pdf").read_bytes()


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    count = len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))
    boxes = {
        (round(float(w), 1), round(float(h), 1))
        for w, h in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    }
    return [next(iter(boxes))] * count if len(boxes) == 1 else list(boxes)


def test_the_word_sheet_is_one_a4_page_per_branch(tmp_path):
    content = docx_bytes(ROWS, "https://dangjian.example.cn/", "测试所党委", date(2026, 12, 6))
    pdf = _pdf(tmp_path, "sheet.docx", content)
    assert _pages(pdf) == [A4_POINTS, A4_POINTS]


def test_the_excel_sheet_prints_each_branch_on_a4(tmp_path):
    pdf = _pdf(tmp_path, "sheet.xlsx", xlsx_bytes(ROWS, "https://dangjian.example.cn/"))
    assert _pages(pdf) == [A4_POINTS, A4_POINTS]
