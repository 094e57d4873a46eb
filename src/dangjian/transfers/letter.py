"""The 介绍信 for a transfer to an organisation outside the tree, as .docx, with its 回执 (receipt) below.

Filled from the transfer record only (the particulars were copied from the person when it was requested).
Unknown values (dues paid up to, for instance) are left as a blank line to be written in by hand. The letter is
set in the shared party-document layout (``core.paper``: A4, GB/T 9704 margins, 仿宋 三号) on one page, letter
and receipt, without a page number (信函格式).
"""

from __future__ import annotations

from datetime import date

from dangjian.core import paper
from dangjian.people.idcard import full_years

from .models import Transfer

BLANK = "________"
SEX = {"M": "男", "F": "女"}
STATUS = {"full": "正式党员", "probationary": "预备党员"}


def _cn_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else f"{BLANK}年{BLANK}月{BLANK}日"


def letter_fields(t: Transfer) -> dict[str, str]:
    age = full_years(t.birth_date, t.sent_on or t.requested_on) if t.birth_date else None
    return {
        "number": t.letter_number,
        "name": t.name,
        "sex": SEX.get(t.sex, BLANK),
        "age": str(age) if age is not None else BLANK,
        "ethnicity": t.ethnicity or BLANK,
        "id_number": t.id_number,
        "status": STATUS.get(t.member_status, BLANK),
        "from": t.from_name,
        "to": t.to_name,
        "dues": f"{t.dues_paid_to.year}年{t.dues_paid_to.month}月" if t.dues_paid_to else f"{BLANK}年{BLANK}月",
        "valid_until": _cn_date(t.valid_until),
        "sent_on": _cn_date(t.sent_on),
    }


def build_letter(t: Transfer) -> bytes:
    f = letter_fields(t)
    doc = paper.new_document(numbered=False)
    paper.title(doc, "中国共产党党员组织关系介绍信")
    paper.right(doc, f["number"])
    paper.paragraph(doc, f"{f['to']}：", indent=False)
    paper.paragraph(
        doc,
        f"兹介绍{f['name']}同志（{f['sex']}，{f['age']}岁，{f['ethnicity']}，公民身份号码{f['id_number']}），"
        f"系中共{f['status']}，组织关系由{f['from']}转到{f['to']}，请接洽。",
    )
    paper.paragraph(doc, f"该同志党费已交到{f['dues']}。")
    paper.paragraph(doc, f"（有效期至{f['valid_until']}）")
    paper.signature(doc, f"中共{f['from']}（盖章）", f["sent_on"])
    paper.cut_line(doc, "- - - - - - - - - - - - - - - - - - 裁 剪 线 - - - - - - - - - - - - - - - - - -")
    paper.title(doc, "党员组织关系介绍信回执")
    paper.right(doc, f["number"])
    paper.paragraph(doc, f"{f['from']}：", indent=False)
    paper.paragraph(doc, f"{f['name']}同志的党员组织关系已转达我处，特此回执。")
    paper.signature(doc, "接收党组织（盖章）", _cn_date(None))
    return paper.to_bytes(doc)


def letter_filename(t: Transfer) -> str:
    return f"介绍信_{t.letter_year}_{t.letter_seq:04d}_{t.name}.docx"
