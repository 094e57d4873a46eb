"""The plan's facts for the assessment (同考核): the completion and on-time rates of the year's deployments.

A deployment counts for year Y when its deadline lies in Y and it is not cancelled (``figures``); it is completed
when done by the year's end (or today while the year runs), on time when done on or before its deadline. Each
organisation's figure covers its subtree (``dangjian.facts.rollup``), read for any number of organisations in one
query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import as_of, counted, fact, link, percent, pks, rollup, set_wise, under

from . import figures
from .models import Deployment

COMPLETION = "workplan.deployments.completion_rate"
ON_TIME = "workplan.deployments.on_time_rate"


class WorkPlanFacts:
    definitions = (
        FactDefinition(
            key=COMPLETION,
            label=_("工作计划任务完成率"),
            unit="%",
            meaning=_(
                "本组织及其下级组织承担的、完成时限在当年且未取消的工作计划任务中，截至年末（当年为截至今天）已完成的比例。"
            ),
            rule=_("本单位设置：党建工作与业务工作同谋划、同部署、同推进、同考核（年度党建工作要点）"),
        ),
        FactDefinition(
            key=ON_TIME,
            label=_("工作计划任务按时完成率"),
            unit="%",
            meaning=_(
                "本组织及其下级组织承担的、完成时限在当年且未取消的工作计划任务中，在完成时限前（含当日）完成的比例。"
            ),
            rule=_("本单位设置：党建工作与业务工作同谋划、同部署、同推进、同考核（年度党建工作要点）"),
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        year = period.end.year
        day = as_of(period)
        rows = counted(
            figures.counted(Deployment.objects.all(), year)
            .filter(under(organizations, "organization__path"))
            .filter(item__deleted_at__isnull=True, item__plan__deleted_at__isnull=True)
            .order_by()
            .values(path=F("organization__path"))
            .annotate(
                deployments=Count("pk"),
                done=Count("pk", filter=figures.done_q(day)),
                on_time=Count("pk", filter=figures.on_time_q(day)),
            )
        )
        sums = rollup(organizations, rows)
        evidence = link("workplan:deployments", year=year)
        for pk in pks(organizations):
            s = sums[pk]
            n, done, on_time = s.get("deployments", 0), s.get("done", 0), s.get("on_time", 0)
            inputs = {"deployments": n, "deployments_done": done, "on_time": on_time, "as_of": day.isoformat()}
            yield fact(COMPLETION, pk, percent(done, n), inputs=inputs, evidence_url=f"{evidence}{pk}")
            yield fact(ON_TIME, pk, percent(on_time, n), inputs=inputs, evidence_url=f"{evidence}{pk}")
