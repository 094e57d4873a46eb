"""The sheet a secretary hands out after member accounts are opened (accounts.provisioning): .xlsx and .docx.

One sheet (xlsx) or one page (docx) per branch, so that each secretary prints her own branch's: name, username,
one-time password and the address of the platform, with the rule that the password is changed at the first login.
Both are built in memory from the rows a provisioning returned and are never stored: they hold passwords.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from dangjian.core import paper
from dangjian.sheets.writer import Book, Column

SITE_URL_SETTING = "DANGJIAN_SITE_URL"


@dataclass(frozen=True)
class SheetRow:
    branch: str
    name: str
    username: str
    password: str


def site_address(request=None) -> str:
    """Where members log in: ``DANGJIAN_SITE_URL`` (setting or environment) when the platform sits behind a proxy
    under another name; else the address the page was asked on; else the first configured host name."""
    configured = (getattr(settings, SITE_URL_SETTING, "") or os.environ.get(SITE_URL_SETTING, "")).strip()
    if configured:
        return configured
    if request is not None:
        return request.build_absolute_uri("/")
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*", "testserver") and not h.startswith(".")]
    if not hosts:
        return ""
    scheme = "https" if getattr(settings, "PRODUCTION", False) else "http"
    return f"{scheme}://{hosts[0]}/"


def by_branch(rows: Sequence[SheetRow]) -> list[tuple[str, list[SheetRow]]]:
    """Rows grouped by branch, in the order given (the provisioning's tree order)."""
    out: dict[str, list[SheetRow]] = {}
    for row in rows:
        out.setdefault(row.branch, []).append(row)
    return list(out.items())


def instruction(site: str) -> str:
    where = _("请在浏览器（手机或电脑）中打开 %(site)s ，") % {"site": site} if site else _("请打开本平台，")
    return where + _(
        "用下表中的用户名和初始密码登录。首次登录时系统要求设置自己的新密码，初始密码随即失效。"
        "初始密码只用于首次登录，请妥善保管本通知单，不要转告他人。"
    )


_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(branch: str, used: set[str]) -> str:
    """A worksheet name: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = _SHEET_NAME_BAD.sub("", branch).strip()[:28] or _("名单")
    name, k = base, 1
    while name in used:
        k += 1
        name = f"{base}({k})"[:31]
    used.add(name)
    return name


def xlsx_bytes(rows: Sequence[SheetRow], site: str, *, preview: bool = False) -> bytes:
    """One sheet per branch through the shared writer (title, 序号, widths, A4 with the header on every page).
    ``preview``: a dry run's list, titled as such and without passwords."""
    book = Book()
    used: set[str] = set()
    columns = [
        Column(_("姓名"), 12),
        Column(_("用户名"), 18),
        Column(_("初始密码"), 18),
        Column(_("登录地址"), 34),
    ]
    for branch, items in by_branch(rows):
        if preview:
            heading = _("%(branch)s 党员账号开通名单（预览，尚未开通）") % {"branch": branch}
        else:
            heading = _("%(branch)s 党员账号开通通知单（首次登录须修改初始密码）") % {"branch": branch}
        sheet = book.list_sheet(_sheet_name(branch, used), heading, columns)
        for r in items:
            sheet.append([r.name, r.username, "" if preview else r.password, site])
    if not used:
        book.notes(_("名单"), _("党员账号开通通知单"), [[_("没有新开通的账号")]])
    return book.to_bytes()


def docx_bytes(rows: Sequence[SheetRow], site: str, issuer: str, dated: date) -> bytes:
    """One page per branch in the party-document layout (GB/T 9704: A4, margins, 小标宋 title, 仿宋 body): the title,
    the branch, how to log in, the table 序号/姓名/用户名/初始密码, the issuer and the date."""
    from docx.enum.section import WD_SECTION

    document = paper.new_document(numbered=False)
    groups = by_branch(rows)
    if not groups:
        paper.title(document, _("党员账号开通通知单"))
        paper.paragraph(document, _("没有新开通的账号。"))
    for i, (branch, items) in enumerate(groups):
        if i:
            section = document.add_section(WD_SECTION.NEW_PAGE)
            paper.set_a4(section)  # every section is A4, not only the first
        paper.title(document, _("党员账号开通通知单"))
        paper.paragraph(document, f"{branch}：", indent=False)
        paper.paragraph(document, instruction(site))
        paper.table(
            document,
            [_("序号"), _("姓名"), _("用户名"), _("初始密码")],
            [(n, r.name, r.username, r.password) for n, r in enumerate(items, 1)],
            widths=(12, 40, 52, 52),
            numeric=(0,),
        )
        paper.signature(document, issuer, paper.cn_date(dated))
    return paper.to_bytes(document)
