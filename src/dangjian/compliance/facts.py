"""The compliance rate for the assessment: obligations of organisational life met, of those due, per subtree."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import fact, link, percent, pks, rollup, set_wise, under
from dangjian.orgs.models import Organization

from . import engine


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
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        today = timezone.localdate()
        year = period.end.year
        orgs = Organization.objects.filter(under(organizations, "path"))
        paths = dict(orgs.values_list("pk", "path"))
        # the engine's items counted per organisation in the database (due: done or overdue), then the subtrees
        totals = engine.org_totals(orgs, [year], today)
        rows = [
            (paths.get(org_id), {"due": due, "met": met, "quorum_failed": failed})
            for org_id, (due, met, failed) in totals.items()
            if due
        ]
        sums = rollup(organizations, rows)
        evidence = link("compliance:org", pk=True, year=year)
        for pk in pks(organizations):
            s = sums[pk]
            due, met = s.get("due", 0), s.get("met", 0)
            yield fact(
                key="compliance.rate",
                organization_id=pk,
                value=percent(met, due),
                inputs={"due": due, "met": met, "overdue": due - met, "quorum_failed": s.get("quorum_failed", 0)},
                evidence_url=evidence.format(pk),
            )
