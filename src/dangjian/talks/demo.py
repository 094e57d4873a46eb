"""Demo talks (谈心谈话) for the demo institute: last year's and this year's, held by each branch's committee.

Without them every branch's talk coverage (``talks.coverage``) was 0 and the 谈心谈话覆盖 leaf of the assessment
scored nothing anywhere. Most branches talk with nearly all their members each year (the unit's rule asks for at
least one talk a member a year, ``talks.min_per_member_per_year``); the persistently weak branch
(``demo.history.WEAK_BRANCH``) with fewer than half, and the one the assessment demo praises
(``demo.flagship.SECRETARY_BRANCH``) with all of them. A talk falls on a day of its year drawn at random, so this
year's coverage is still growing on the reference day (a talk after that day is not yet held and is dropped).
Deterministic for a seed; dates from ``dangjian.demo.spec.reference_date()``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from dangjian.demo.flagship import SECRETARY_BRANCH
from dangjian.demo.history import WEAK_BRANCH
from dangjian.demo.spec import reference_date
from dangjian.orgs.models import CommitteePost, CommitteeTerm, Organization
from dangjian.people.models import Membership

from .models import Talk

BATCH = 2000
TOPICS = (
    "了解近期思想和工作情况，交流对支部工作的意见建议",
    "谈科研任务压力和个人成长规划，鼓励在攻关中发挥党员作用",
    "了解家庭困难和身体状况，提醒注意劳逸结合",
    "交流学习贯彻党的二十大精神的体会",
    "就岗位调整后的思想状况谈心，做好思想工作",
    "提醒遵守保密纪律和廉洁从业规定",
    "听取对支部组织生活和“三会一课”的意见",
)
FOLLOW_UPS = ("帮助协调解决实验条件问题", "推荐参加上级业务培训", "向工会反映家庭困难情况")


def generate_demo(seed: int) -> dict[str, int]:
    root = Organization.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return {}
    rng = random.Random(seed * 13 + 3)
    ref = reference_date()
    branches = list(
        Organization.objects.subtree(root).filter(kind="branch", dissolved_on__isnull=True).order_by("path")
    )
    members: dict[int, list[Membership]] = defaultdict(list)
    for m in Membership.objects.current().filter(organization__in=branches).order_by("person_id"):
        members[m.organization_id].append(m)
    committees = _committees([root, *branches])
    upper = committees.get(root.pk, [])
    talks = []
    for year in (ref.year - 1, ref.year):
        for branch in branches:
            roster = [m for m in members[branch.pk] if m.started_on is None or m.started_on.year <= year]
            talkers = committees.get(branch.pk, [])
            # a share of the roster drawn without replacement, so a small branch is not left at 0 % by chance
            reach = rng.uniform(0.3, 0.5) if branch.name == WEAK_BRANCH else rng.uniform(0.88, 1.0)
            if branch.name == SECRETARY_BRANCH:
                reach = 1.0  # the branch the assessment demo praises (上级表彰) talks with every member
            for m in rng.sample(roster, round(reach * len(roster))):
                # A branch without a committee, or a committee of one talking with themself, is talked with by
                # the institute's party committee.
                others = [p for p in talkers if p != m.person_id] or [p for p in upper if p != m.person_id]
                for _n in range(2 if rng.random() < 0.15 else 1):  # some members are talked with twice
                    talk = _talk(rng, branch, m, others, year, ref)
                    if talk is not None:
                        talks.append(talk)
    Talk.objects.bulk_create(talks, batch_size=BATCH)
    return {"talks.Talk": len(talks)}


def _committees(branches: list[Organization]) -> dict[int, list[int]]:
    """Each organisation's latest committee (its members hold the talks), by organisation id."""
    latest: dict[int, int] = {}
    for term in CommitteeTerm.objects.filter(organization__in=branches).order_by("organization_id", "-elected_on"):
        latest.setdefault(term.organization_id, term.pk)
    people: dict[int, set[int]] = defaultdict(set)
    by_term = {t: o for o, t in latest.items()}
    for term_id, person_id in CommitteePost.objects.filter(term_id__in=by_term).values_list("term_id", "person_id"):
        people[by_term[term_id]].add(person_id)
    return {org: sorted(ids) for org, ids in people.items()}


def _talk(
    rng: random.Random, branch: Organization, m: Membership, others: list[int], year: int, ref: date
) -> Talk | None:
    first = max(date(year, 1, 1), m.started_on or date(year, 1, 1))
    last = date(year, 12, 31)
    if first > last or not others:
        return None  # joined after the year; or nobody to talk with
    held = first + timedelta(days=rng.randint(0, (last - first).days))
    if held > ref:
        return None  # not yet held on the reference day
    follow = rng.random() < 0.1
    return Talk(
        organization=branch,
        talker_id=rng.choice(others),
        talkee_id=m.person_id,
        held_on=held,
        topics=rng.choice(TOPICS),
        follow_up=rng.choice(FOLLOW_UPS) if follow else "",
        follow_up_due=held + timedelta(days=30) if follow else None,
    )
