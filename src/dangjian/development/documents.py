"""The two documents of admission as .docx, filled from the case: the publicity notice and the approval request.

Where the record holds nothing, a blank line (``BLANK``) is left to fill in by hand rather than a guess.
The publicity lasts at least 5 working days (本单位设置, rule ``publicity.min_working_days``); working days
here are Monday to Friday — statutory holidays and their swapped working days are not known to the system,
so the end date is printed for checking and can be corrected on paper. Both are party documents in the
shared layout (``core.paper``: A4, GB/T 9704 margins, 仿宋 三号).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record
from dangjian.core import paper
from dangjian.core.document_numbers import next_number
from dangjian.orgs.models import Organization
from dangjian.people.models.person import Education, Sex
from dangjian.rules import services as rule_store

from .models import CaseStatus, ContactRole, Development
from .rule_data import DEVELOPMENT_RULES
from .timeline import table_of

BLANK = "＿＿＿＿＿＿"
DATE_BLANK = "　　年　　月　　日"  # a date written by hand when the document is sealed


def cn_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else f"{BLANK}年{BLANK}月{BLANK}日"


def add_working_days(start: date, days: int) -> date:
    """The last day of ``days`` working days (Mon–Fri) counted from ``start`` (included when a working day)."""
    d = start
    while d.weekday() >= 5:
        d += timedelta(days=1)
    left = days - 1
    while left > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d


def upper_committee(branch: Organization) -> Organization | None:
    """The nearest 党委 above the branch (the committee that approves admission)."""
    step = Organization.steplen
    paths = [branch.path[:i] for i in range(step, len(branch.path), step)]
    return Organization.objects.filter(path__in=paths, kind="committee").order_by("path").last()


def _dates(dev: Development) -> dict[str, date]:
    table = table_of(dev)
    return {table.by_number(r.number).code: r.done_on for r in dev.steps.all()}


def done_codes(dev: Development) -> set[str]:
    """The codes of the recorded steps (one query)."""
    return set(_dates(dev))


def notice_refusal(dev: Development, done: set[str]) -> str | None:
    """Why the publicity notice does not apply now, or None. The notice announces that a 发展对象 is to be admitted
    (拟发展为中共预备党员, 细则 第三、四章: after 确定发展对象, before the upper committee approves the admission);
    for an applicant or an activist, or once admitted, there is nothing to announce."""
    if dev.status == CaseStatus.OPEN and "confirm_candidate" in done and "upper_approval" not in done:
        return None
    return _(
        "拟发展公示适用于确定为发展对象之后、上级党委审批接收为预备党员之前；%(name)s目前为“%(stage)s”，不能生成公示"
    ) % {
        "name": dev.person.name,
        "stage": dev.get_stage_display(),
    }


def request_refusal(dev: Development, done: set[str]) -> str | None:
    """Why the approval request does not apply, or None: the 请示 reports the branch members' meeting's resolution
    to admit (细则 第20、22条), so it exists only once step 15 「支部大会讨论」 is recorded."""
    if "admission_meeting" in done:
        return None
    step = table_of(dev).by_code("admission_meeting")
    return _("接收预备党员的请示在支部党员大会通过接收决议后生成：第%(number)s步「%(step)s」尚未记录") % {
        "number": step.number,
        "step": step.name,
    }


def _or_blank(value) -> str:
    return str(value) if value not in (None, "") else BLANK


def publicity_notice(dev: Development, start: date, phone: str = "") -> bytes:
    """公示: the candidate's particulars and the period of publicity (≥5 working days from ``start``)."""
    person, branch = dev.person, dev.branch
    days = rule_store.table(DEVELOPMENT_RULES, branch).value("publicity.min_working_days", start)
    end = add_working_days(start, days)
    dates = _dates(dev)
    committee = upper_committee(branch)
    doc = paper.new_document()
    paper.title(doc, f"关于{person.name}同志拟发展为中共预备党员的公示")
    paper.paragraph(
        doc,
        f"经{branch_committee(branch)}审查，拟将{person.name}同志发展为中共预备党员。"
        "根据《中国共产党发展党员工作细则》有关规定，现将有关情况公示如下：",
    )
    rows = [
        ("姓名", person.name),
        ("性别", dict(Sex.choices).get(person.sex, "")),
        ("出生日期", cn_date(person.birth_date) if person.birth_date else ""),
        ("民族", person.ethnicity),
        ("学历", str(dict(Education.choices).get(person.education, ""))),
        ("工作岗位", person.post),
        ("递交入党申请书时间", cn_date(dates.get("submit_application", dev.started_on))),
        ("确定为入党积极分子时间", cn_date(dates["confirm_activist"]) if "confirm_activist" in dates else ""),
        ("确定为发展对象时间", cn_date(dates["confirm_candidate"]) if "confirm_candidate" in dates else ""),
        ("所在党支部", branch.name),
    ]
    paper.particulars(doc, [(label, _or_blank(value)) for label, value in rows])
    paper.paragraph(doc, f"公示时间：{cn_date(start)}至{cn_date(end)}（{days}个工作日）。")
    paper.paragraph(
        doc,
        "公示期间，党员和群众可通过来信、来电、来访等方式向党组织反映该同志的情况和问题。"
        "反映问题应实事求是，以个人名义反映的请签署真实姓名。",
    )
    paper.paragraph(doc, f"联系电话：{phone or BLANK}")
    issuer = paper.party_name(committee.name) if committee else f"中共{BLANK}"
    paper.signature(doc, f"{issuer}组织部门（党委办公室）", cn_date(start))
    return paper.to_bytes(doc)


def branch_committee(branch: Organization) -> str:
    """The branch's committee as the body that examines: XX党支部委员会, not XX党支部支部委员会."""
    return f"{branch.name}委员会" if branch.name.endswith("支部") else f"{branch.name}支部委员会"


def request_number(dev: Development, on: date | None = None) -> str:
    """The request's 发文字号 (GB/T 9704 §7.2.4): the branch's name as its 代字, the year in 六角括号, the next
    number of the branch's documents that year (量子室党支部〔2026〕3号) — one sequence with its 请示报告
    (``core.document_numbers``). Taken the first time the request is printed and stored on the case, so that printing
    it again gives the same number."""
    if dev.request_seq is None:
        year = (on or timezone.localdate()).year
        with transaction.atomic():
            # the case's row is the lock against taking two numbers for one request printed twice at once
            locked = Development.all_objects.select_for_update().get(pk=dev.pk)
            if locked.request_seq is None:
                locked.request_year, locked.request_seq = year, next_number(dev.branch_id, year)
                locked.save(update_fields=["request_year", "request_seq"])
                record("update", locked, detail={"request_number": f"〔{year}〕{locked.request_seq}号"})
        dev.request_year, dev.request_seq = locked.request_year, locked.request_seq
    return f"{dev.branch.short_name or dev.branch.name}〔{dev.request_year}〕{dev.request_seq}号"


def approval_request(dev: Development) -> bytes:
    """请示: the branch asks the upper committee to approve the admission voted by the members' meeting."""
    person, branch = dev.person, dev.branch
    number = request_number(dev)
    dates = _dates(dev)
    table = table_of(dev)
    meeting = dev.steps.filter(number=table.by_code("admission_meeting").number).first()
    sponsors = [c.person.name for c in dev.contacts.select_related("person") if c.role == ContactRole.SPONSOR]
    committee = upper_committee(branch)
    doc = paper.new_document()
    paper.doc_number(doc, number)
    paper.title(doc, f"关于接收{person.name}同志为中共预备党员的请示")
    paper.paragraph(doc, f"{paper.party_name(committee.name) if committee else BLANK}：", indent=False)
    paper.paragraph(
        doc,
        f"{person.name}同志，{dict(Sex.choices).get(person.sex, BLANK)}，{person.ethnicity or BLANK}，"
        f"{cn_date(person.birth_date) if person.birth_date else BLANK}出生，"
        f"{_or_blank(str(dict(Education.choices).get(person.education, '')))}学历，{_or_blank(person.post)}。"
        f"该同志于{cn_date(dates.get('submit_application', dev.started_on))}递交入党申请书，"
        f"{cn_date(dates.get('confirm_activist'))}被确定为入党积极分子，"
        f"{cn_date(dates.get('confirm_candidate'))}被确定为发展对象。",
    )
    if meeting is not None and meeting.votes_due is not None:
        against = meeting.votes_present - meeting.votes_yes if meeting.votes_present is not None else None
        vote = (
            f"应到会有表决权的正式党员{meeting.votes_due}名，实到{_or_blank(meeting.votes_present)}名，"
            f"赞成{_or_blank(meeting.votes_yes)}票，不赞成或弃权{_or_blank(against)}票"
        )
        if meeting.votes_written_yes:  # 细则 第21条: counted in the votes, not in those present
            vote += f"；因故未到会党员会前提交书面意见赞成{meeting.votes_written_yes}票，计入票数"
    else:
        vote = f"应到会有表决权的正式党员{BLANK}名，实到{BLANK}名，赞成{BLANK}票，不赞成或弃权{BLANK}票"
    paper.paragraph(
        doc,
        f"{cn_date(meeting.done_on if meeting else None)}，{branch.name}召开支部党员大会，"
        f"讨论{person.name}同志的入党问题。{vote}，"
        f"超过应到会有表决权的正式党员的半数，通过接收{person.name}同志为中共预备党员的决议。",
    )
    names = "、".join(sponsors) if sponsors else f"{BLANK}、{BLANK}"
    paper.paragraph(doc, f"入党介绍人：{names}。")
    paper.paragraph(doc, "现将《入党志愿书》及有关材料一并报上，请予审批。")
    paper.signature(doc, paper.party_name(branch.name), DATE_BLANK)  # dated and sealed when sent
    # 请示 name who answers for them (GB/T 9704 §7.3.6 附注: 联系人及电话)
    paper.paragraph(doc, f"（联系人：{BLANK}　联系电话：{BLANK}）")
    return paper.to_bytes(doc)
