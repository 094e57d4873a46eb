"""Demo requests and reports (请示报告) for the demo institute: a handful across branches for this year and last.

The demo secretary's branch (``flagship.SECRETARY_BRANCH``) has one of each state: a request approved, a request
returned with reasons and sent again (its second version waiting for an answer), a report read and a draft never
sent; the persistently weak branch (``history.WEAK_BRANCH``) a request past its deadline; other branches a
request waiting within its deadline and last year's 年度工作总结 reports; the leader a 个人有关事项 waiting for
the office (only the leader and the office see it).

Rows are written directly, dated no later than the reference day (``dangjian.demo.spec.reference_date``); the 文号
are taken from each organisation's counter of the year (``core.document_numbers``) in the order of sending, so
what is sent after the demo goes on from there; the deadlines are the rule store's default (10 working days).
Deterministic: no randomness is needed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.document_numbers import next_number
from dangjian.demo import flagship
from dangjian.demo.history import WEAK_BRANCH
from dangjian.integration.demo import world
from dangjian.orgs.models import Organization

from . import rules
from .models import Category, Kind, Status, Submission
from .rule_data import ANSWER_DAYS, SUBMISSION_RULES

RETURN_REASON = "支部大会表决情况记录不全（缺少应到、实到有表决权党员人数和赞成票数），请补充会议记录后重新报送。"


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 30)))


class _Numbers:
    """The next 文号 of each organisation and year, in the order the demo sends: from the organisation's one
    counter (``core.document_numbers``), so that what is sent after the demo goes on from there."""

    def take(self, org: Organization, year: int) -> tuple[int, str]:
        n = next_number(org.pk, year)
        return n, rules.document_number(org.display_name, year, n)


def generate_demo(seed: int) -> dict[str, int]:
    w = world()
    if w is None or not w.branches:
        return {}
    ref = w.ref
    days = SUBMISSION_RULES.value(ANSWER_DAYS, ref)
    by_name = {b.name: b for b in w.branches}
    home = by_name.get(flagship.SECRETARY_BRANCH, w.branches[0])
    weak = by_name.get(WEAK_BRANCH, w.branches[-1])
    others = [b for b in w.branches if b.pk not in (home.pk, weak.pk) and not b.name.startswith("离退休")]
    secretary = w.secretary or w.office
    leader = User.objects.filter(username="leader").first()
    numbers = _Numbers()
    rows: list[Submission] = []

    def make(org, author, kind, category, title, body, sent=None, *, answered=None, status=None, text="", to=None):
        sub = Submission(
            organization=org,
            addressee=to or w.root,
            kind=kind,
            category=category,
            title=title,
            body=body,
            year=(sent or ref).year,
            drafted_by=author,
            status=Status.DRAFT,
        )
        if sent is not None:
            sent = min(sent, ref)
            sub.status, sub.sent_at, sub.sent_by = Status.SENT, _at(sent), author
            if kind == Kind.REQUEST:
                sub.deadline = rules.add_working_days(sent, days)
            if status is not None and status != Status.SENT:
                received = min(sent + timedelta(days=1), ref)
                sub.status, sub.received_at, sub.received_by = Status.RECEIVED, _at(received, 10), w.office
            if answered is not None:
                answered = min(max(answered, sent), ref)
                sub.status, sub.answered_at, sub.answered_by = status, _at(answered, 15), w.office
                sub.answer_text = text
        rows.append(sub)
        return sub

    last = ref.year - 1
    for n, branch in enumerate([home, *others[:3]]):
        make(
            branch,
            secretary if branch.pk == home.pk else w.office,
            Kind.REPORT,
            Category.SUMMARY,
            f"关于{branch.name}{last}年度工作情况的报告",
            f"{last}年，{branch.name}在所党委领导下，坚持党建工作与科研生产任务同谋划、同部署、同推进、同考核，"
            "落实“三会一课”制度，全年召开支部党员大会4次、支委会12次，上党课4次，开展主题党日12次。\n"
            "存在的不足：个别党员参加组织生活不够经常，支部特色品牌提炼不够。来年将进一步加强支部标准化建设。",
            date(ref.year, 1, 10 + n),
            answered=date(ref.year, 1, 20 + n),
            status=Status.READ,
            text="已阅。",
        )
    make(
        home,
        secretary,
        Kind.REQUEST,
        Category.ELECTION,
        f"关于{home.name}委员会换届选举的请示",
        f"{home.name}现任支部委员会任期将于近期届满。根据《中国共产党支部工作条例（试行）》有关规定，"
        "经支委会研究，拟于下月召开支部党员大会进行换届选举，选举产生新一届支部委员会，委员职数3名，"
        "实行差额选举。\n妥否，请批示。",
        ref - timedelta(days=150),
        answered=ref - timedelta(days=143),
        status=Status.APPROVED,
        text="同意你支部按期进行换届选举，委员候选人预备人选报党委组织部门审查。",
    )
    first = make(
        home,
        secretary,
        Kind.REQUEST,
        Category.DEVELOPMENT,
        "关于接收李明同志为中共预备党员的请示",
        "经支部党员大会讨论表决，同意接收李明同志为中共预备党员。现将其入党材料报上，请审批。",
        ref - timedelta(days=40),
        answered=ref - timedelta(days=35),
        status=Status.RETURNED,
        text=RETURN_REASON,
    )
    second = make(
        home,
        secretary,
        Kind.REQUEST,
        Category.DEVELOPMENT,
        "关于接收李明同志为中共预备党员的请示",
        "经支部党员大会讨论表决（应到有表决权党员18人，实到16人，赞成16票），同意接收李明同志为中共预备党员。"
        "现将其入党材料和支部大会记录报上，请审批。",
        ref - timedelta(days=3),
        status=Status.RECEIVED,
    )
    make(
        home,
        secretary,
        Kind.REPORT,
        Category.LIFE_MEETING,
        f"关于{home.name}召开{last}年度组织生活会情况的报告",
        f"{home.name}于近期召开{last}年度组织生活会，支部全体党员参加，所领导到会指导。会前开展谈心谈话全覆盖，"
        "会上支部书记代表支委会作检视剖析，党员逐一开展批评和自我批评，会后形成整改清单。",
        date(ref.year, 2, 26),
        answered=date(ref.year, 3, 2),
        status=Status.READ,
        text="已阅。整改清单请按期落实。",
    )
    make(
        home,
        secretary,
        Kind.REPORT,
        Category.OTHER,
        f"关于{home.name}第三季度党建工作情况的报告",
        "第三季度，支部围绕重点任务开展党员突击队活动，召开支委会3次、主题党日3次。",
    )
    make(
        weak,
        w.office,
        Kind.REQUEST,
        Category.MAJOR,
        "关于调整党小组设置的请示",
        f"因科研团队调整，{weak.name}拟将原3个党小组调整为2个，按课题组设置。\n妥否，请批示。",
        ref - timedelta(days=30),
    )
    if others:
        make(
            others[0],
            w.office,
            Kind.REQUEST,
            Category.MAJOR,
            "关于开展“党员先锋岗”创建活动的请示",
            "为发挥党员在型号任务中的先锋模范作用，支部拟在试验一线设立“党员先锋岗”3个。\n妥否，请批示。",
            ref - timedelta(days=2),
        )
    if leader is not None:
        make(
            w.root,
            leader,
            Kind.REPORT,
            Category.PERSONAL,
            "关于本人配偶从业情况变化的报告",
            "根据领导干部报告个人有关事项的规定，现将本人配偶近期工作单位变化情况报告如下：本人配偶已调入某高校任教。",
            ref - timedelta(days=5),
            to=w.root,
        )
    for sub in sorted((r for r in rows if r.sent_at), key=lambda r: r.sent_at):
        sub.seq, sub.document_number = numbers.take(sub.organization, sub.year)
    Submission.objects.bulk_create([r for r in rows if r is not second])
    second.previous, second.version = first, 2
    second.save()
    return {"submissions.Submission": len(rows)}
