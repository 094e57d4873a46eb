"""``dangjian accounts-from-roster --organization CODE [--employees] [--dry-run] --out FILE.xlsx``: the operator opens
member accounts for an organisation's subtree at the console (accounts.provisioning), audited on the console channel.

The sheet with the one-time passwords is written to ``--out`` (one sheet per branch) and to nowhere else: hand it to
the secretaries and delete it. With ``--dry-run`` nothing is written to the database and the sheet lists the
usernames without passwords.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import provisioning
from dangjian.accounts.provision_sheet import SheetRow, docx_bytes, site_address, xlsx_bytes
from dangjian.core import context
from dangjian.orgs.models import Organization


class Command(BaseCommand):
    help = "按花名册为某党组织及其下级组织中尚无账号的党员（或全体职工）开通账号，并写出开通通知单（.xlsx）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", required=True, help="党组织代码（含其下级组织）")
        parser.add_argument("--employees", action="store_true", help="为全体职工开通（默认只为党员开通）")
        parser.add_argument("--dry-run", action="store_true", help="只预览，不开通")
        parser.add_argument("--out", required=True, help="通知单文件路径（.xlsx）；同名 .docx 另写一份 Word 通知单")
        parser.add_argument("--site-url", default="", help="通知单上的登录地址（默认读 DANGJIAN_SITE_URL）")

    def handle(self, *args, **options) -> None:
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError(_("--out 应为 .xlsx 文件"))
        if not out.parent.is_dir():
            raise CommandError(_("目录不存在：%(path)s") % {"path": out.parent})
        code = options["organization"].strip()
        org = Organization.objects.filter(code=code).first()
        if org is None:
            raise CommandError(_("没有代码为 %(code)s 的党组织") % {"code": code})
        dry_run: bool = options["dry_run"]
        with context.acting(None, channel="console"):
            try:
                report = provisioning.provision(None, org, employees=options["employees"], dry_run=dry_run)
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
        site = options["site_url"] or site_address()
        rows = [SheetRow(r.branch, r.name, r.username, r.password) for r in report.rows]
        _write_private(out, xlsx_bytes(rows, site, preview=dry_run))
        if not dry_run:
            _write_private(out.with_suffix(".docx"), docx_bytes(rows, site, org.name, timezone.localdate()))
        for s in report.skipped:
            self.stderr.write(f"不开通：{s.branch} {s.name}：{s.reason}")
        if report.existing:
            self.stdout.write(f"已有账号：{report.existing} 人")
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"预览：将开通 {len(rows)} 个账号（未写入），名单已写到 {out}"))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"已开通 {len(rows)} 个账号（已记入审计日志）。含初始密码的通知单已写到 {out} 和 "
                    f"{out.with_suffix('.docx')}：交给各支部书记后请删除"
                )
            )


def _write_private(path: Path, content: bytes) -> None:
    """Readable by the operator only (0600): the file holds one-time passwords."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(content)
    os.chmod(path, 0o600)  # an existing file keeps its mode on open: set it
