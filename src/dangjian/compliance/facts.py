"""The compliance rates for the assessment: obligations of organisational life met, of those due, per subtree.

One rate over every obligation, and the same rate for 三会一课 and for 主题党日 apart, so an indicator can weigh
them separately; all three from one grouped statement of the engine (``engine.org_kind_totals``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import fact, link, percent, pks, rollup, set_wise, under
from dangjian.meetings.models import MeetingKind
from dangjian.orgs.models import Organization

from . import engine

# 三会一课 (支部工作条例第十一至十三条): the members' meeting, the committee meeting, the group meeting and the lecture
THREE_MEETINGS = frozenset(
    {MeetingKind.MEMBERS_MEETING, MeetingKind.COMMITTEE_MEETING, MeetingKind.GROUP_MEETING, MeetingKind.LECTURE}
)
# each fact's key → the prefix of its counts in a rolled-up row ("" for all kinds)
PARTS = {"compliance.rate": "", "compliance.three_meetings.rate": "tm_", "compliance.theme_day.rate": "td_"}


class ComplianceFacts:
    definitions = (
        FactDefinition(
            key="compliance.rate",
            label=_("组织生活按期完成率"),
            unit="%",
            meaning=_(
                "本组织及其下级组织当年各项组织生活义务（三会一课、主题党日、组织生活会等，按各组织类型的规则）中，"
                "已完成的项数占应完成项数的比例。应完成：周期已结束或已完成的项；未达到法定人数的会议不计入完成。"
                "与“组织生活”热力图及组织页面的红绿灯一致。"
            ),
            rule=_(
                "《中国共产党支部工作条例（试行）》第十一至十三条、《中国共产党党员教育管理工作条例》第十六、十七条；"
                "党课次数为本单位设置；各项频次见“组织生活合规”的规则"
            ),
        ),
        FactDefinition(
            key="compliance.three_meetings.rate",
            label=_("三会一课按期完成率"),
            unit="%",
            meaning=_(
                "同“组织生活按期完成率”，只计支部党员大会、支委会、党小组会和党课四项义务："
                "本组织及其下级组织当年已完成的项数占应完成项数的比例。"
            ),
            rule=_(
                "《中国共产党支部工作条例（试行）》第十一至十三条、《中国共产党党员教育管理工作条例》第十六条；"
                "党课次数为本单位设置"
            ),
        ),
        FactDefinition(
            key="compliance.theme_day.rate",
            label=_("主题党日按期完成率"),
            unit="%",
            meaning=_(
                "同“组织生活按期完成率”，只计主题党日：本组织及其下级组织当年已按期开展的主题党日项数占应开展项数的比例。"
            ),
            rule=_("《中国共产党党员教育管理工作条例》第十六条：每月相对固定1天开展主题党日"),
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        today = timezone.localdate()
        year = period.end.year
        orgs = Organization.objects.filter(under(organizations, "path"))
        paths = dict(orgs.values_list("pk", "path"))
        # the engine's items counted per organisation and kind in the database (due: done or overdue), then the
        # subtrees; each row carries its counts for all kinds and, prefixed, for its part (三会一课 or 主题党日)
        totals = engine.org_kind_totals(orgs, [year], today)
        rows = []
        for (org_id, kind), (due, met, failed) in totals.items():
            if not due:
                continue
            counts = {"due": due, "met": met, "quorum_failed": failed}
            prefix = "tm_" if kind in THREE_MEETINGS else "td_" if kind == MeetingKind.THEME_DAY else None
            if prefix:
                counts.update({prefix + k: n for k, n in list(counts.items())})
            rows.append((paths.get(org_id), counts))
        sums = rollup(organizations, rows)
        evidence = link("compliance:org", pk=True, year=year)
        for pk in pks(organizations):
            s = sums[pk]
            url = evidence.format(pk)
            for key, p in PARTS.items():
                due, met = s.get(p + "due", 0), s.get(p + "met", 0)
                yield fact(
                    key=key,
                    organization_id=pk,
                    value=percent(met, due),
                    inputs={
                        "due": due,
                        "met": met,
                        "overdue": due - met,
                        "quorum_failed": s.get(p + "quorum_failed", 0),
                    },
                    evidence_url=url,
                )
