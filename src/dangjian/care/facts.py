"""Care facts for the assessment: the share of care obligations (五必谈、五必访、五必问) done in time, per subtree."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import counted, fact, fixed_link, percent, pks, rollup, set_wise, under

from .filters import COUNTS
from .models import Obligation, ObligationStatus


class CareFacts:
    definitions = (
        FactDefinition(
            key="care.obligations_on_time_rate",
            label=_("关怀事项按时办结率"),
            unit="%",
            meaning=_(
                "办理期限在期间内、未撤销的关怀事项（按事件所属党支部计入本组织及其上级组织）中，"
                "在期限当日或之前办结的项数所占比例。与“关怀覆盖情况”页面按党支部的统计一致。"
            ),
            rule=_("本单位设置：五必谈、五必访、五必问的事项和办理期限"),
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        rows = (
            Obligation.objects.filter(
                under(organizations, "event__branch__path"), due_on__range=(period.start, period.end)
            )
            .exclude(status=ObligationStatus.CANCELLED)
            .order_by()
            .values(path=F("event__branch__path"))
            .annotate(**COUNTS)
        )
        sums = rollup(organizations, counted(rows))
        evidence = fixed_link("care:coverage", year=period.end.year)
        for pk in pks(organizations):
            s = sums[pk]
            due, in_time = s.get("due", 0), s.get("in_time", 0)
            yield fact(
                key="care.obligations_on_time_rate",
                organization_id=pk,
                value=percent(in_time, due),
                inputs={"due": due, "in_time": in_time, "late_done": s.get("late_done", 0)},
                evidence_url=evidence,
            )
