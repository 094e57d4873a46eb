"""Care facts for the assessment, per subtree: the share of care obligations (五必谈、五必访、五必问) done in time, and
the share of the year's practical-matter projects (我为群众办实事) finished by their deadline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import Count, F, Max, Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import as_of, counted, fact, fixed_link, link, percent, pks, rollup, set_wise, under

from .filters import COUNTS
from .models import MatterStatus, Obligation, ObligationStatus, PracticalMatter


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
        FactDefinition(
            key="care.matters_on_time_rate",
            label=_("为群众办实事项目按期完成率"),
            unit="%",
            meaning=_(
                "本组织及其下级组织当年度的为群众办实事项目（不含已中止和撤销登记的）中，按期完成的项目所占比例。"
                "期限：项目最后一个节点的计划日期，未设节点的为年末；完成：状态为“已完成”且各节点均已完成，"
                "最后一个节点的完成日期不晚于期限为按期。期限已到或已完成的项目计入，期限未到且未完成的暂不计入。"
                "与“为群众办实事”年度清单一致。"
            ),
            rule=_("本单位设置：我为群众办实事项目的计划节点和完成标准"),
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
        yield from self._matters(organizations, period)

    @staticmethod
    def _matters(organizations: Sequence, period: Period) -> Iterable[FactValue]:
        """The year's projects (the year the period ends in, as the yearly list), judged at ``as_of``; one query.

        Each project comes back with its milestones' last planned and done dates and the count still open, so a
        project is judged by its own plan: no single date applies to every project.
        """
        year, day = period.end.year, as_of(period)
        projects = (
            PracticalMatter.objects.filter(under(organizations, "organization__path"), year=year)
            .exclude(status=MatterStatus.SUSPENDED)
            .order_by()
            .annotate(
                planned=Max("milestones__planned_on"),
                finished=Max("milestones__done_on"),
                open=Count("milestones", filter=Q(milestones__done_on__isnull=True)),
            )
            .values_list("organization__path", "status", "planned", "finished", "open")
        )
        year_end = date(year, 12, 31)
        rows = []
        for path, status, planned, finished, still_open in projects:
            until = planned or year_end
            done = status == MatterStatus.DONE and not still_open
            if not done and until > day:
                continue  # not yet due
            in_time = done and (finished is None or finished <= until)
            late_done = done and not in_time
            rows.append((path, {"due": 1, "in_time": int(in_time), "late_done": int(late_done)}))
        sums = rollup(organizations, rows)
        evidence = link("care:matters", year=year)
        for pk in pks(organizations):
            s = sums[pk]
            due, in_time, late_done = s.get("due", 0), s.get("in_time", 0), s.get("late_done", 0)
            yield fact(
                key="care.matters_on_time_rate",
                organization_id=pk,
                value=percent(in_time, due),
                inputs={"due": due, "in_time": in_time, "late_done": late_done, "overdue": due - in_time - late_done},
                evidence_url=f"{evidence}{pk}",
            )
