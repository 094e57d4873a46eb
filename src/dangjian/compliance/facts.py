"""The compliance rates for the assessment: obligations of organisational life met, of those due, per subtree.

One rate over every obligation, and the same rate for 三会一课 and for 主题党日 apart, so an indicator can weigh
them separately; and the overall rate per month (``compliance.rate.by_month``: the items whose period ends in the
month, as the heat map's columns). All four from one statement: the engine's matrix of the year grouped per
organisation, part (三会一课, 主题党日, other) and month the period ends in, so the month's figures cost the
whole-tree assessment run no second statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import fact, link, percent, pks, rollup, set_wise, under
from dangjian.meetings.facts import MONTH_LABELS
from dangjian.meetings.models import MeetingKind
from dangjian.orgs.models import Organization

from . import engine, lights

# 三会一课 (支部工作条例第十一至十三条): the members' meeting, the committee meeting, the group meeting and the lecture
THREE_MEETINGS = frozenset(
    {MeetingKind.MEMBERS_MEETING, MeetingKind.COMMITTEE_MEETING, MeetingKind.GROUP_MEETING, MeetingKind.LECTURE}
)
# each fact's key → the prefix of its counts in a rolled-up row ("" for all kinds)
PARTS = {"compliance.rate": "", "compliance.three_meetings.rate": "tm_", "compliance.theme_day.rate": "td_"}
BY_MONTH = "compliance.rate.by_month"


def part_month_totals(orgs, year: int, today) -> list[tuple[int, str, int, int, int, int]]:
    """(organisation id, part prefix, month its period ends in, due, met, quorum_failed) over the year's items.

    The engine's item statement (``engine.item_statement``) grouped on top: due are the items done or overdue, met
    those done, as ``engine.org_kind_totals`` counts them; the part is read off the rule version's meeting kind.
    """
    _years, _settings, rules, periods, statement = engine.item_statement(orgs, [year], today, None)
    if statement is None:
        return []
    sql, params = statement
    tm = [pk for pk, r in rules.items() if r.meeting_kind in THREE_MEETINGS] or [0]
    td = [pk for pk, r in rules.items() if r.meeting_kind == MeetingKind.THEME_DAY] or [0]
    # ids and month numbers are integers of our own: written into the text, no parameter order to keep
    part = (
        f"CASE WHEN i.rule_id IN ({', '.join(map(str, tm))}) THEN 'tm_'"
        f" WHEN i.rule_id IN ({', '.join(map(str, td))}) THEN 'td_' ELSE '' END"
    )
    month = "CASE i.pid " + " ".join(f"WHEN {n} THEN {p.end_month}" for n, p in enumerate(periods)) + " END"
    counted = f"i.light IN ('{lights.DONE}', '{lights.OVERDUE}')"
    grouped = (
        f"SELECT i.org_id, {part}, {month}, SUM(CASE WHEN {counted} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN i.light = '{lights.DONE}' THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {counted} THEN i.quorum_failed ELSE 0 END)"
        f" FROM ({sql}) i WHERE i.required > 0 GROUP BY i.org_id, {part}, {month}"
    )
    return [tuple(r) for r in engine.fetch_grouped((grouped, params))]


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
        FactDefinition(
            key=BY_MONTH,
            label=_("组织生活逐月按期完成率"),
            unit="%",
            meaning=_(
                "同“组织生活按期完成率”，按义务周期结束的月份分列（月度义务计入当月，季度义务计入季末月，年度义务计入12月）："
                "该月应完成项中已完成的比例；该月没有应完成项的，不列。值为全年的完成率。"
            ),
            rule=_(
                "《中国共产党支部工作条例（试行）》第十一至十三条、《中国共产党党员教育管理工作条例》第十六、十七条；"
                "党课次数为本单位设置；各项频次见“组织生活合规”的规则"
            ),
            dimension="month",
            breakdown_labels=MONTH_LABELS,
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        today = timezone.localdate()
        year = period.end.year
        orgs = Organization.objects.filter(under(organizations, "path"))
        paths = dict(orgs.values_list("pk", "path"))
        # the engine's items counted per organisation, part and month in the database (due: done or overdue), then the
        # subtrees; each row carries its counts for all kinds, prefixed for its part (三会一课 or 主题党日) and
        # suffixed with its month
        rows = []
        for org_id, prefix, month, due, met, failed in part_month_totals(orgs, year, today):
            if not due:
                continue
            counts = {"due": due, "met": met, "quorum_failed": failed, f"due:{month}": due, f"met:{month}": met}
            if prefix:
                counts.update({prefix + "due": due, prefix + "met": met, prefix + "quorum_failed": failed})
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
            # a month with items due has a rate (percent is None only for nothing due)
            by_month = {str(m): percent(s[f"met:{m}"], s[f"due:{m}"]) or 0.0 for m in range(1, 13) if s.get(f"due:{m}")}
            yield fact(
                key=BY_MONTH,
                organization_id=pk,
                value=percent(s.get("met", 0), s.get("due", 0)),
                breakdown=by_month,
                inputs={"due": {m: s[f"due:{m}"] for m in by_month}, "met": {m: s[f"met:{m}"] for m in by_month}},
                evidence_url=url,
            )
