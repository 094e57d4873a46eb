"""The rules of a request or a report as a party document, pure (no database).

党政机关公文处理工作条例（2012）第十五条（四）: 请示应当一文一事；不得在报告等非请示性公文中夹带请示事项.
第八条: a 请示 asks the organisation above for instructions or approval, a 报告 reports work or answers its
questions — so a request's title ends with 请示, a report's with 报告, and never both (请示报告 is not a 文种).

Whether a text holds one matter cannot be decided for certain from its words; the checks below catch the usual
ways several matters are put in one request: several 关于 in the title, words that announce several matters
(等事项、若干问题…), or more than one closing request (妥否，请批示。… 请予批准。).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dangjian.core.ruletable import gettext_noop

CITATION = "党政机关公文处理工作条例 第十五条（四）"
SEVERAL_MATTERS = ("等事项", "若干事项", "等问题", "若干问题", "几个问题", "几项", "多项", "两项", "三项", "及其他")
# a closing request: 妥否，请批示 / 请予批准 / 请审批 …; 妥否 and the request after it are one closing
CLOSING = re.compile(r"(?:妥否|当否|可否)?[，,。]?\s*请(?:予|求)?(?:批示|批准|审批|审定|指示|核准|批复)")


def one_matter_problems(kind: str, title: str, body: str) -> list[tuple[str, str]]:
    """(field, message) for each way ``title`` and ``body`` break the rules of their kind (request / report)."""
    title, body = (title or "").strip(), (body or "").strip()
    out: list[tuple[str, str]] = []
    if title.endswith("请示报告"):
        out.append(("title", gettext_noop("“请示报告”不是文种：请示与报告应分别行文")))
    elif kind == "request" and not title.endswith("请示"):
        out.append(("title", gettext_noop("请示的标题应为“关于……的请示”")))
    elif kind == "report" and not title.endswith("报告"):
        out.append(("title", gettext_noop("报告的标题应为“关于……的报告”")))
    if kind == "request":
        if title.count("关于") > 1 or any(word in title for word in SEVERAL_MATTERS):
            out.append(("title", gettext_noop("请示应当一文一事：标题只写一个请示事项，其他事项另行请示")))
        if len(CLOSING.findall(body)) > 1:
            out.append(("body", gettext_noop("请示应当一文一事：正文只能有一处请求批示，其他事项另行请示")))
    elif CLOSING.search(body) or CLOSING.search(title):
        out.append(("body", gettext_noop("报告中不得夹带请示事项：需要上级批准的事项请另行请示")))
    return out


def add_working_days(start: date, days: int) -> date:
    """The day ``days`` working days (Monday to Friday) after ``start``, not counting ``start`` itself. Statutory
    holidays and their swapped working days are not known to the system: the deadline may fall a little early."""
    d, left = start, max(days, 0)
    while left > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d


def document_number(prefix: str, year: int, seq: int) -> str:
    """The 文号 (GB/T 9704 §7.2.4: 发文机关代字、年份、序号, the year in 六角括号): 量子室党支部〔2026〕3号."""
    return f"{prefix}〔{year}〕{seq}号"
