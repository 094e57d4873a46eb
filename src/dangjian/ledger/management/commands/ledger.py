"""``dangjian ledger --organization CODE --year YEAR --out FILE.docx [--pdf FILE.pdf] [--attachments FILE.zip]``:
one organisation's ledger (台账) for scripts, assembled as the page's job does it (the attachment index at the end
when ``--attachments`` is given). A console run has full access and is audited on the "console" channel."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record
from dangjian.core import context
from dangjian.ledger import assemble, pdf
from dangjian.ledger.runs import _pack
from dangjian.orgs.models import Organization


class Command(BaseCommand):
    help = "生成一个党组织某年度的党建台账（.docx，可同时生成 PDF 和附件压缩包）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", required=True, help="党组织代码")
        parser.add_argument("--year", type=int, required=True, help="年度")
        parser.add_argument("--out", required=True, help="输出的 .docx 文件")
        parser.add_argument("--pdf", help="同时输出 PDF 到此文件（需要 LibreOffice）")
        parser.add_argument("--attachments", help="同时输出附件压缩包（.zip）到此文件")

    def handle(self, *args, **options) -> None:
        org = Organization.objects.filter(code=options["organization"]).first()
        if org is None:
            raise CommandError(_("党组织代码 %(code)s 不存在") % {"code": options["organization"]})
        year = options["year"]
        if not 2000 <= year <= timezone.localdate().year:
            raise CommandError(_("年度应在2000年至%(last)d年之间") % {"last": timezone.localdate().year})
        out = Path(options["out"])
        if out.suffix.lower() != ".docx":
            raise CommandError(_("--out 应为 .docx 文件"))
        with context.acting(None, channel="console"):
            items = assemble.attachments(org, year) if options["attachments"] else None
            body = assemble.to_bytes(assemble.assemble(org, year, attachments=items))
            try:
                out.write_bytes(body)
            except OSError as exc:
                raise CommandError(
                    _("无法写入 %(file)s：%(error)s") % {"file": out, "error": exc.strerror or exc}
                ) from exc
            if items is not None:
                with zipfile.ZipFile(options["attachments"], "w", zipfile.ZIP_DEFLATED) as archive:
                    _pack(archive, items, "", f"{org.name}{year}年度台账附件目录")
            if options["pdf"]:
                with tempfile.TemporaryDirectory(prefix="ledger-") as tmp:
                    source = Path(tmp) / f"{org.code}-{year}.docx"
                    source.write_bytes(body)
                    try:
                        (converted,) = pdf.convert([source], Path(tmp))
                    except pdf.PdfUnavailable as exc:
                        raise CommandError(str(exc)) from exc
                    Path(options["pdf"]).write_bytes(converted.read_bytes())
            record(
                "export",
                org,
                detail={"ledger": year, "pdf": bool(options["pdf"]), "attachments": items is not None},
                object_repr=f"{org.name} {year}年度台账",
            )
        self.stdout.write(f"{out}：{org.name}{year}年度台账，{out.stat().st_size} 字节")
