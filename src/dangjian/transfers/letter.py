"""The 介绍信 for a transfer to an organisation outside the tree, as .docx: the standard three-part letter.

中国共产党党员组织关系介绍信 is one sheet of three parts cut apart along two lines: the 存根 (stub) kept by the
issuing committee, the 介绍信 the member takes to the receiving organisation, and the 回执 (receipt) the receiving
organisation sends back. The three carry the same number, and the number is written across each cut line so that
the parts can be matched (骑缝). The letter is issued and sealed by the committee that holds the member's
relationship — the nearest 党委 above the sending branch — not by the branch: a letter is opened by an organisation
department of the county level or above or by a 基层党委 (中央组织部 rules on the transfer of members' organisational
relationships); a branch has no seal for it. The receipt goes back to that committee.

Filled from the transfer record only (the particulars were copied from the person when it was requested).
Unknown values (dues paid up to, for instance) are left as a blank line to be written in by hand. The three
parts are set in the shared party-document layout (``core.paper``: A4, GB/T 9704 margins, 仿宋) at 四号 so that
they fit one page, without a page number (信函格式).
"""

from __future__ import annotations

from datetime import date

from docx.shared import Pt

from dangjian.core import paper
from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.idcard import full_years

from .models import Transfer

BLANK = "________"
SEX = {"M": "男", "F": "女"}
STATUS = {"full": "正式党员", "probationary": "预备党员"}
SIZE = paper.SIZE_FORM  # 四号: the three parts on one A4 page
TITLE_SIZE = 16  # 三号
PITCH = Pt(19)  # 四号 at 1.36: the three parts (about 32 lines) in the 225 mm type area


def _cn_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else f"{BLANK}年{BLANK}月{BLANK}日"


def issuing_committee(org: Organization | None) -> Organization | None:
    """The nearest 党委 at or above ``org`` (the sending branch): the committee that issues and seals the letter."""
    if org is None:
        return None
    step = Organization.steplen
    paths = [org.path[:i] for i in range(step, len(org.path) + 1, step)]
    return Organization.objects.filter(path__in=paths, kind=OrgKind.COMMITTEE).order_by("path").last()


def letter_fields(t: Transfer) -> dict[str, str]:
    age = full_years(t.birth_date, t.sent_on or t.requested_on) if t.birth_date else None
    committee = issuing_committee(t.from_org)
    issuer = paper.party_name(committee.name) if committee else paper.party_name(t.from_name)
    # the sending organisation as the receiver reads it: the branch under its committee (测试所党委一支部)
    sender = t.from_name
    if committee is not None and t.from_org_id != committee.pk and not sender.startswith(committee.name):
        sender = f"{committee.name}{sender}"
    return {
        "number": t.letter_number,
        "name": t.name,
        "sex": SEX.get(t.sex, BLANK),
        "age": str(age) if age is not None else BLANK,
        "ethnicity": t.ethnicity or BLANK,
        "id_number": t.id_number,
        "status": STATUS.get(t.member_status, BLANK),
        "issuer": issuer,
        "from": paper.party_name(sender),
        "to": t.to_name,
        "dues": f"{t.dues_paid_to.year}年{t.dues_paid_to.month}月" if t.dues_paid_to else f"{BLANK}年{BLANK}月",
        "valid_until": _cn_date(t.valid_until),
        "sent_on": _cn_date(t.sent_on),
    }


def _part(doc, heading: str, number: str) -> None:
    paper.title(doc, heading, size=TITLE_SIZE, space_after=SIZE / 2)
    paper.right(doc, number, size=SIZE)


def _cut(doc, number: str) -> None:
    paper.cut_line(doc, f"- - - - - - - - - - - - - 裁 剪 线（骑缝：{number}）- - - - - - - - - - - - -")


def build_letter(t: Transfer) -> bytes:
    f = letter_fields(t)
    doc = paper.new_document(numbered=False, size=SIZE, pitch=PITCH)
    particulars = (
        f"{f['name']}同志（{f['sex']}，{f['age']}岁，{f['ethnicity']}，公民身份号码{f['id_number']}），"
        f"系中共{f['status']}"
    )

    # the stub keeps what the committee needs to find the letter again: who, where to, until when
    _part(doc, "中国共产党党员组织关系介绍信（存根）", f["number"])
    paper.paragraph(
        doc,
        f"{f['name']}同志，系中共{f['status']}，组织关系由{f['from']}转到{f['to']}。"
        f"党费已交到{f['dues']}。（有效期至{f['valid_until']}）",
        size=SIZE,
    )
    paper.right(doc, f"开具日期：{f['sent_on']}", chars=4, size=SIZE)
    _cut(doc, f["number"])

    _part(doc, "中国共产党党员组织关系介绍信", f["number"])
    paper.paragraph(doc, f"{f['to']}：", indent=False, size=SIZE)
    paper.paragraph(doc, f"兹介绍{particulars}，组织关系由{f['from']}转到{f['to']}，请接洽。", size=SIZE)
    paper.paragraph(doc, f"该同志党费已交到{f['dues']}。（有效期至{f['valid_until']}）", size=SIZE)
    paper.signature(doc, f"{f['issuer']}（盖章）", f["sent_on"], size=SIZE)
    paper.paragraph(doc, f"党员联系电话或其他联系方式：{BLANK}{BLANK}", indent=False, size=SIZE)
    paper.paragraph(doc, f"原所在基层党委通讯地址：{BLANK}{BLANK}{BLANK}", indent=False, size=SIZE)
    paper.paragraph(doc, f"联系电话：{BLANK}　传真：{BLANK}　邮编：{BLANK}", indent=False, size=SIZE)
    _cut(doc, f["number"])

    _part(doc, "中国共产党党员组织关系介绍信回执", f["number"])
    paper.paragraph(doc, f"{f['issuer']}：", indent=False, size=SIZE)
    paper.paragraph(doc, f"{f['name']}同志的党员组织关系已转达我处，特此回执。", size=SIZE)
    paper.signature(doc, "接收党组织（盖章）", "　　年　　月　　日", size=SIZE)
    return paper.to_bytes(doc)


def letter_filename(t: Transfer) -> str:
    return f"介绍信_{t.letter_year}_{t.letter_seq:04d}_{t.name}.docx"
