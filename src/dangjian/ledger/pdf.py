"""PDF from the ledger's .docx: LibreOffice headless, run by the job's worker.

Measured on the demo institute (bench/ledger.py): converting one branch's ledger takes a few seconds, most of it
LibreOffice's start; a committee's ledgers are converted in one LibreOffice run for all of them, so the start is paid
once. No library in the environment renders a .docx to PDF itself, and rendering the PDF directly would mean a
second layout of every part; LibreOffice prints the same document a secretary downloads.

Each run uses a LibreOffice profile of its own (two runs sharing one wait for each other or fail), and the fonts of
``core/fonts.conf`` (the party-document faces mapped to Noto CJK), as ``core.paper`` asks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings

from dangjian.core import paper


class PdfUnavailable(Exception):
    """LibreOffice is not installed, or it failed: the ledger is kept without its PDF, with the reason."""


def soffice() -> str | None:
    return shutil.which(getattr(settings, "LEDGER_SOFFICE", "soffice"))


def convert(files: Sequence[Path], outdir: Path, *, timeout: int | None = None) -> list[Path]:
    """Each .docx of ``files`` as a PDF of the same stem in ``outdir``, in one LibreOffice run."""
    binary = soffice()
    if binary is None:
        raise PdfUnavailable("服务器未安装 LibreOffice，未生成 PDF")
    timeout = timeout or getattr(settings, "LEDGER_PDF_TIMEOUT", 600)
    env = dict(os.environ, FONTCONFIG_FILE=str(paper.FONTCONFIG))
    with tempfile.TemporaryDirectory(prefix="ledger-lo-") as profile:
        command = [
            binary,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ]
        try:
            subprocess.run(command, env=env, check=True, capture_output=True, timeout=timeout)
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnavailable(f"PDF 转换失败：{exc.__class__.__name__}") from exc
    out = [outdir / f"{Path(f).stem}.pdf" for f in files]
    missing = [p.name for p in out if not p.exists()]
    if missing:
        raise PdfUnavailable(f"PDF 转换失败：{'、'.join(missing)}")
    return out
