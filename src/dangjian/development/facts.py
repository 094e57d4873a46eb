"""Development facts for the assessment: the funnel by stage and the overdue steps, per subtree.

The same counts as the funnel page (``funnel._counts``): a stage counts open cases, except "converted", which
counts every case that reached it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import as_of, counted, fact, link, pks, rollup, set_wise, under

from .models import CaseStatus, Development, DevelopmentStage

OPEN = Q(status=CaseStatus.OPEN)


class DevelopmentFacts:
    definitions = (
        FactDefinition(
            key="development.cases",
            label=_("发展党员在培养人数"),
            unit=_("人"),
            meaning=_(
                "本组织及其下级组织进行中的发展党员案卷数（入党申请人、入党积极分子、发展对象、预备党员），"
                "按当前阶段分列；“已转正”列出已完成转正的案卷数，不计入总数。与“发展党员”漏斗页面一致。"
            ),
            rule=_("《中国共产党发展党员工作细则》第二章至第六章（五个阶段、二十五个步骤）"),
            dimension="stage",
            breakdown_labels=dict(DevelopmentStage.choices),
        ),
        FactDefinition(
            key="development.steps_overdue",
            label=_("发展党员超期步骤"),
            unit=_("件"),
            meaning=_(
                "本组织及其下级组织进行中的案卷里，下一步骤期限早于统计日（期间末日，期间未结束时为今天）的件数。"
                "按案卷当前的下一步骤计算。"
            ),
            rule=_("《中国共产党发展党员工作细则》各步骤期限（如第七条：收到入党申请书后一个月内派人谈话）"),
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        on = as_of(period)
        stages = {
            s.value: Count("id", filter=Q(stage=s.value) & (Q() if s == DevelopmentStage.CONVERTED else OPEN))
            for s in DevelopmentStage
        }
        rows = (
            Development.objects.filter(under(organizations, "branch__path"))
            .order_by()
            .values(path=F("branch__path"))
            .annotate(**stages, overdue=Count("id", filter=OPEN & Q(next_due_on__lt=on)))
        )
        sums = rollup(organizations, counted(rows))
        funnel, overdue = link("development:funnel"), link("development:overdue")
        as_of_day = on.isoformat()
        cases_inputs = {"as_of": as_of_day}  # the same for every organisation
        for pk in pks(organizations):
            s = sums[pk]
            breakdown = {stage.value: s.get(stage.value, 0) for stage in DevelopmentStage}
            in_progress = sum(n for k, n in breakdown.items() if k != DevelopmentStage.CONVERTED)
            yield fact(
                key="development.cases",
                organization_id=pk,
                value=in_progress,
                breakdown=breakdown,
                inputs=cases_inputs,
                evidence_url=f"{funnel}{pk}",
            )
            yield fact(
                key="development.steps_overdue",
                organization_id=pk,
                value=s.get("overdue", 0),
                inputs={"as_of": as_of_day, "open_cases": in_progress},
                evidence_url=f"{overdue}{pk}",
            )
