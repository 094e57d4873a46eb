"""Several years of organisational life for the demo institute, with realistic gaps.

Most branches keep to the rules with an occasional late or missed meeting; a few
are late every quarter, and one (``WEAK_BRANCH``) is persistently weak, so the
compliance views, rankings and the "抓两头促中间" story have something true to
show. Each meeting has its host (主持人) and recorder (记录人) — the branch secretary hosts, a committee member
records — so the ledger prints names, not "—". Rows go in with ``bulk_create``; the caller writes the single
audit event.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dangjian.meetings.models import Attendance, Meeting, MeetingStatus, Resolution
from dangjian.orgs.models import CommitteePost, CommitteeTerm, Organization, Post
from dangjian.people.models import Membership

from .spec import reference_date

TZ = ZoneInfo("Asia/Shanghai")
YEARS = 5
WEAK_BRANCH = "频谱监测室党支部"
BATCH = 5000

THEMES = [
    "学习贯彻党的二十大精神",
    "科研攻关中的党员先锋作用",
    "计量强国与质量提升",
    "保密教育",
    "廉洁从业警示教育",
    "安全生产责任落实",
    "青年科技人才成长",
    "弘扬科学家精神",
    "服务型号任务保障",
    "支部建在室上经验交流",
]


@dataclass
class Branchinfo:
    org: Organization
    members: list[Membership] = field(default_factory=list)
    committee: list[int] = field(default_factory=list)
    groups: dict[int, list[int]] = field(default_factory=dict)
    # who hosts and records a branch meeting, in order of preference: the secretary, the deputy, the organiser,
    # the other committee members (the first of them on the meeting's roster hosts, the next one records)
    officers: list[int] = field(default_factory=list)


# The order in which the committee's posts take the chair (and, after the host, the pen) at a branch meeting.
CHAIR_ORDER = [Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.ORGANIZER, Post.PUBLICITY, Post.DISCIPLINE]
CHAIR_ORDER += [Post.YOUTH, Post.WOMEN, Post.MEMBER]


def _skip_rate(name: str, late_every_quarter: set[str]) -> float:
    if name == WEAK_BRANCH:
        return 0.45
    if name in late_every_quarter:
        return 0.15
    return 0.03


def generate_history(seed: int) -> dict[str, int]:
    rng = random.Random(seed * 7 + 1)
    ref = reference_date()
    start = date(ref.year - YEARS + 1, 1, 1)
    branches = _branches()
    names = sorted(b.org.name for b in branches)
    late = set(rng.sample([n for n in names if n != WEAK_BRANCH], k=min(4, len(names) - 1)))
    meetings: list[Meeting] = []
    plans: list[tuple[Meeting, list[tuple[int, bool]], str]] = []
    for info in branches:
        skip = _skip_rate(info.org.name, late)
        for kind, org, roster, month_step in _obligations(info):
            month = date(start.year, start.month, 1)
            while month <= ref:
                if (month.month - 1) % month_step == 0 and rng.random() >= skip:
                    when = _day_in(month, month_step, rng)
                    if month_step == 1 and when.date() > ref and ref.day > 3 and rng.random() < 0.75:
                        # Most branches hold the month's meetings early (the theme day is often a fixed early day),
                        # so a demo looked at a few weeks after it was built shows its build month done, not missed;
                        # the rest stay planned for later in the month.
                        when = when.replace(day=rng.randint(3, ref.day - 1))
                    if info.org.founded_on is None or when.date() >= info.org.founded_on:
                        m = _meeting(org, kind, when, rng)
                        people = roster(when.date())
                        _staff(m, info.officers if org is info.org else [], people)
                        meetings.append(m)
                        plans.append((m, people, kind))
                month = _add_months(month, 1)
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    attendances, resolutions = [], []
    for m, roster, kind in plans:
        for person_id, votes in roster:
            attendances.append(_attendance(m, person_id, votes, rng))
        if kind == "members_meeting" and m.status in (MeetingStatus.MINUTES_RECORDED, MeetingStatus.LOCKED):
            due = sum(1 for _, v in roster if v)
            if due and rng.random() < 0.3:
                yes = max(due // 2 + 1, int(due * rng.uniform(0.6, 0.95)))
                resolutions.append(
                    Resolution(
                        meeting=m,
                        title="接收预备党员/转正等事项表决",
                        due_voting=due,
                        yes=min(yes, due),
                        no=0,
                        abstain=0,
                        passed=True,
                    )
                )
    Attendance.objects.bulk_create(attendances, batch_size=BATCH)
    Resolution.objects.bulk_create(resolutions, batch_size=BATCH)
    return {"meetings": len(meetings), "attendances": len(attendances), "resolutions": len(resolutions)}


def _branches() -> list[Branchinfo]:
    infos = {o.pk: Branchinfo(o) for o in Organization.objects.filter(kind="branch", dissolved_on__isnull=True)}
    for m in Membership.objects.filter(organization_id__in=infos, ended_on__isnull=True).order_by("person_id"):
        infos[m.organization_id].members.append(m)
    latest: dict[int, int] = {}
    for term in CommitteeTerm.objects.filter(organization_id__in=infos).order_by("organization_id", "-elected_on"):
        latest.setdefault(term.organization_id, term.pk)
    posts = defaultdict(list)
    rank = {p.value: i for i, p in enumerate(CHAIR_ORDER)}
    for term_id, person_id, post in CommitteePost.objects.filter(term_id__in=latest.values()).values_list(
        "term_id", "person_id", "post"
    ):
        posts[term_id].append((rank.get(post, len(rank)), person_id))
    for org_id, term_id in latest.items():
        infos[org_id].committee = sorted({p for _, p in posts[term_id]})
        officers = [p for _, p in sorted(posts[term_id])]
        infos[org_id].officers = list(dict.fromkeys(officers))  # a person with two posts once, at the higher
    groups = Organization.objects.filter(kind="group", dissolved_on__isnull=True)
    by_path = {i.org.path: i for i in infos.values()}
    for g in groups:
        parent = by_path.get(g.path[: -Organization.steplen])
        if parent is not None:
            parent.groups[g.pk] = [m.person_id for m in parent.members if m.group_id == g.pk]
    return [infos[k] for k in sorted(infos)]


def _obligations(info: Branchinfo):
    """(kind, organisation, roster function, every N months) in the pattern the rules ask for."""

    def members(on: date) -> list[tuple[int, bool]]:
        return [(m.person_id, m.status == "full") for m in info.members if m.started_on <= on]

    out = [
        ("members_meeting", info.org, members, 3),
        ("theme_day", info.org, members, 1),
        ("lecture", info.org, members, 3),
        ("life_meeting", info.org, members, 12),
    ]
    if info.committee:
        out.append(("committee_meeting", info.org, lambda on: [(p, True) for p in info.committee], 1))
    for group_id, people in info.groups.items():
        group = Organization(pk=group_id)
        out.append(("group_meeting", group, lambda on, people=people: [(p, True) for p in people], 1))
    return out


def _day_in(month: date, step: int, rng: random.Random) -> datetime:
    # Life meetings fall in the fourth quarter; the rest anywhere in their month or quarter.
    if step == 12:
        month = date(month.year, rng.choice([11, 12]), 1)
    elif step == 3:
        month = _add_months(month, rng.randrange(3))
    day = rng.randint(3, 26)
    return datetime.combine(date(month.year, month.month, day), time(rng.choice([9, 14, 15]), 0), TZ)


def _meeting(org: Organization, kind: str, when: datetime, rng: random.Random) -> Meeting:
    age = (reference_date() - when.date()).days  # read per meeting: cheap (a context variable)
    if age < 0:
        status = MeetingStatus.PLANNED
    elif age < 10:
        status = rng.choice([MeetingStatus.HELD, MeetingStatus.MINUTES_RECORDED])
    elif age < 60:
        status = MeetingStatus.MINUTES_RECORDED if rng.random() < 0.5 else MeetingStatus.LOCKED
    else:
        status = MeetingStatus.LOCKED if rng.random() > 0.02 else MeetingStatus.HELD  # a few never written up
    theme = rng.choice(THEMES)
    minutes = (
        "" if status in (MeetingStatus.PLANNED, MeetingStatus.HELD) else f"<p>会议围绕“{theme}”进行了学习和讨论。</p>"
    )
    return Meeting(
        organization=org,
        kind=kind,
        title=theme,
        starts_at=when,
        ends_at=when + timedelta(hours=2),
        place="所党员活动室",
        status=status,
        minutes=minutes,
        locked_at=when + timedelta(days=20) if status == MeetingStatus.LOCKED else None,
    )


def _staff(m: Meeting, officers: list[int], roster: list[tuple[int, bool]]) -> None:
    """Set the meeting's host and recorder (and a lecture's lecturer) from the people on its roster that day: the
    branch's officers first (the secretary hosts and gives the 党课, a committee member records), then its full
    members; a party group's meeting is hosted by the first of its members and recorded by the next. Chosen
    without the random generator, so that the demo's meetings and attendance stay what they were."""
    present = {p for p, _ in roster}
    chosen = [p for p in officers if p in present][:2]
    for person_id, full in roster:
        if len(chosen) == 2:
            break
        if full and person_id not in chosen:
            chosen.append(person_id)
    if chosen:
        m.host_id = chosen[0]
        m.recorder_id = chosen[-1]
        if m.kind == "lecture":
            m.lecturer_id = chosen[0]


def _attendance(m: Meeting, person_id: int, votes: bool, rng: random.Random) -> Attendance:
    if m.status == MeetingStatus.PLANNED:
        return Attendance(meeting=m, person_id=person_id, voting=votes)
    roll = rng.random()
    if roll < 0.84:
        return Attendance(
            meeting=m,
            person_id=person_id,
            voting=votes,
            status="present",
            checked_in_at=m.starts_at - timedelta(minutes=rng.randint(0, 15)),
            via_qr=rng.random() < 0.6,
        )
    if roll < 0.95:
        reason = rng.choice(["出差执行型号任务", "外场试验", "病假", "参加上级培训", "事假"])
        return Attendance(meeting=m, person_id=person_id, voting=votes, status="excused", reason=reason)
    return Attendance(meeting=m, person_id=person_id, voting=votes, status="absent")


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


__all__ = ["WEAK_BRANCH", "generate_history"]
