"""Appraisal facts for the assessment: branches whose democratic appraisal of the year is confirmed, per subtree."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import counted, fact, fixed_link, pks, rollup, set_wise, under
from dangjian.orgs.models import Organization, OrgKind

from .models import Appraisal, AppraisalStatus, Participant
from .rule_data import GRADE_CODES, GRADES


class AppraisalFacts:
    definitions = (
        FactDefinition(
            key="appraisal.done",
            label=_("完成民主评议的党支部"),
            unit=_("个"),
            meaning=_(
                "本组织及其下级组织中，当年民主评议党员已经党员大会确认（阶段为“党员大会已确认”）的党支部个数；"
                "输入中列出当年存在的党支部数和已启动评议的党支部数。"
            ),
            rule=_("《中国共产党党员教育管理工作条例》第十八条：民主评议党员一般每年开展1次"),
        ),
        FactDefinition(
            key="appraisal.grades",
            label=_("民主评议党员等次"),
            unit=_("人"),
            meaning=_(
                "本组织及其下级组织当年已经党员大会确认的民主评议中，评定了等次的党员人数，按评定等次分列"
                "（预备党员参加评议但不评定等次，不计入）。"
            ),
            rule=_("《中国共产党党员教育管理工作条例》第十八条；等次为本单位设置"),
            dimension="grade",
            breakdown_labels=dict(GRADES),
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        year = period.end.year
        appraisals = (
            Appraisal.objects.filter(under(organizations, "organization__path"), year=year)
            .order_by()
            .values(path=F("organization__path"))
            .annotate(opened=Count("id"), done=Count("id", filter=Q(status=AppraisalStatus.CONFIRMED)))
        )
        existed = (Q(founded_on__isnull=True) | Q(founded_on__lte=date(year, 12, 31))) & (
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=date(year, 1, 1))
        )
        branches = Organization.objects.filter(under(organizations, "path"), existed, kind=OrgKind.BRANCH).values_list(
            "path", flat=True
        )
        graded = (
            Participant.objects.filter(
                under(organizations, "appraisal__organization__path"),
                appraisal__year=year,
                appraisal__status=AppraisalStatus.CONFIRMED,
                final_grade__in=GRADE_CODES,
            )
            .order_by()
            .values(path=F("appraisal__organization__path"))
            .annotate(**{code: Count("id", filter=Q(final_grade=code)) for code in GRADE_CODES})
        )
        grades = rollup(organizations, counted(graded))
        sums = rollup(organizations, counted(appraisals))
        counts = rollup(organizations, ((path, {"branches": 1}) for path in branches.order_by()))
        evidence = fixed_link("appraisal:list", year=year)
        for pk in pks(organizations):
            g = grades[pk]
            breakdown = {code: g.get(code, 0) for code in GRADE_CODES}
            yield fact(
                key="appraisal.grades",
                organization_id=pk,
                value=sum(breakdown.values()),
                breakdown=breakdown,
                evidence_url=evidence,
            )
            s = sums[pk]
            yield fact(
                key="appraisal.done",
                organization_id=pk,
                value=s.get("done", 0),
                inputs={
                    "branches": counts[pk].get("branches", 0),
                    "opened": s.get("opened", 0),
                    "done": s.get("done", 0),
                },
                evidence_url=evidence,
            )
