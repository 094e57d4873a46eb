"""The demo's 抓两头促中间 on last year's published cycle: the flagship branch named 标杆党支部 and the next two
先进党支部, star ratings for every branch, and the persistently weak branch talked to (约谈) by the committee and put
into 软弱涣散 整顿 — the story the 三张清单 and this year's ranking continue. The titles and stars go through
the services (audited, as the office does it on the page); the 约谈 and the 整顿 are written directly, dated ten
days after the objection window (the services refuse a date after the real today, and the demo may be built for a
later day).
"""

from __future__ import annotations

from datetime import timedelta

from dangjian.accounts.models import User
from dangjian.demo import flagship
from dangjian.demo.history import WEAK_BRANCH
from dangjian.demo.spec import reference_date
from dangjian.orgs.models import Rectifying

from . import results, two_ends
from .models import AssessmentCycle, Interview, StarRating, Title, TitleKind


def generate(last: AssessmentCycle, office: User) -> dict[str, int]:
    out = results.results(last, compare=False)
    if not out.rows:
        return {}
    by_name = {r.organization.name: r.organization.pk for r in out.rows}
    best = [r.organization.pk for r in out.rows[:3]]
    benchmark = by_name.get(flagship.SECRETARY_BRANCH, best[0])
    two_ends.grant(office, last.pk, benchmark, TitleKind.BENCHMARK)
    for unit in [pk for pk in best if pk != benchmark][:2]:
        two_ends.grant(office, last.pk, unit, TitleKind.ADVANCED)
    two_ends.rate(office, last.pk)
    weak = by_name.get(WEAK_BRANCH)
    if weak is not None and last.objection_deadline is not None:
        # after the objection window, never after the day the demo is built for
        talked = min(last.objection_deadline + timedelta(days=10), reference_date())
        Interview.objects.create(
            organization_id=weak,
            cycle=last,
            held_on=talked,
            attendees="所党委书记、分管组织工作的党委委员、党委办公室主任；支部书记、支部委员",
            notes="指出支部“三会一课”不经常、主题党日两个月未开展、台账事后补记等问题，"
            "要求对照考核失分项逐项制定整改措施，一季度内完成整改并向党委书面报告。",
            recorded_by=office,
        )
        Rectifying.objects.create(
            organization_id=weak,
            started_on=talked,
            reason="连续两年考核排名末位，组织生活不经常、不认真，经党委研究列为软弱涣散党组织进行整顿。",
            set_by=office,
        )
    return {
        "assessment.Title": Title.objects.filter(cycle=last).count(),
        "assessment.StarRating": StarRating.objects.filter(cycle=last).count(),
        "assessment.Interview": Interview.objects.filter(cycle=last).count(),
    }
