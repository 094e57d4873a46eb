"""The assessment's own facts, for its bonus indicators (加分项): 一支部一特色 recognised by the committee in the year.

``assessment.brand.recognised``: for a branch 1 when its brand was recognised (认定) in the year the period ends in,
else 0; for a committee or general branch the number of such branches in its subtree (``facts.rollup``). A brand's
latest review of the year decides (a brand returned then recognised in the same year counts); a recognition stands
for its year even when the brand is replaced later. One query for the reviews, whatever the number of units.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import fact, fixed_link, link, pks, rollup, set_wise, under
from dangjian.orgs.models import Organization

from .models import AssessmentCycle, BrandReview, CycleStatus, CycleUnit, ReviewResult

KEY = "assessment.brand.recognised"


class BrandFacts:
    definitions = (
        FactDefinition(
            key=KEY,
            label=_("一支部一特色经认定的党支部"),
            unit=_("个"),
            meaning=_(
                "本组织及其下级组织中，一支部一特色当年经党委审核认定的党支部个数（党支部为 1 或 0）；"
                "同一年度多次审核的，以最后一次审核结果为准。"
            ),
            rule=_("本单位设置：一支部一特色创建，经党委认定的特色计入考核加分项"),
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        year = period.end.year
        reviews = (
            BrandReview.objects.filter(under(organizations, "brand__organization__path"), year=year)
            .order_by("brand_id", "id")
            .values_list("brand_id", "brand__organization__path", "result")
        )
        latest: dict[int, tuple[str, str]] = {}
        for brand_id, path, result in reviews:
            latest[brand_id] = (path, result)  # ordered by id: the last one wins
        recognised = {path for path, result in latest.values() if result == ReviewResult.RECOGNISED}
        sums = rollup(organizations, ((path, {"n": 1}) for path in recognised))
        evidence = fixed_link("assessment:brands", year=year, status="recognised")
        for pk in pks(organizations):
            n = sums[pk].get("n", 0)
            yield fact(key=KEY, organization_id=pk, value=n, inputs={"recognised": n}, evidence_url=evidence)


BANDS = "assessment.bands"
# the bands of the default indicator system (考核等次, highest first); a system of other names adds its own after them
BAND_LABELS = {"好": _("好"), "较好": _("较好"), "一般": _("一般"), "差": _("差")}


class BandFacts:
    """``assessment.bands``: the units of the subtree by the band (等次) the year's published cycle gave them.

    Only published cycles (公布): a band under review is no figure for a dashboard. A unit in several published
    cycles of the year (a half-year's and the year's) counts once, with the band of the cycle published last. The
    bands are the results' own (``results.results``: the ranking kept per process, with the office's 定档调整), so a
    whole tree costs a few queries per published cycle of the year, whatever the number of units.
    """

    definitions = (
        FactDefinition(
            key=BANDS,
            label=_("考核等次分布"),
            unit=_("个"),
            meaning=_(
                "本组织及其下级组织中，当年已公布的党建工作责任制考核结果里各等次的考核对象个数"
                "（含定档调整后的等次）；同一对象有多个已公布周期的，以最后公布的为准。值为考核对象总数。"
            ),
            rule=_("本单位设置：党建工作责任制考核的等次及其分数线、名额见考核指标体系"),
            dimension="band",
            breakdown_labels=BAND_LABELS,
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        from . import results  # the results read the cycle machinery; imported when the fact is computed

        year = period.end.year
        cycles = list(
            AssessmentCycle.objects.filter(year=year, status=CycleStatus.PUBLISHED)
            .select_related("system")
            .order_by("published_at", "pk")
        )
        band_of: dict[int, str] = {}
        order: list[str] = list(BAND_LABELS)
        if cycles:
            units = CycleUnit.objects.filter(under(organizations, "organization__path"), cycle__in=cycles)
            wanted = set(units.values_list("organization_id", flat=True))
            for cycle in cycles:  # published last wins
                order += [str(b[1]) for b in cycle.system.bands if str(b[1]) not in order]
                rows = results.results(cycle, results.current_snapshot(cycle), compare=False).rows
                band_of.update({r.organization.pk: r.result.band for r in rows if r.organization.pk in wanted})
        paths = dict(Organization.objects.filter(pk__in=band_of).values_list("pk", "path")) if band_of else {}
        sums = rollup(organizations, ((paths.get(pk), {band: 1}) for pk, band in band_of.items()))
        page = link("assessment:cycle", pk=True).format(cycles[-1].pk) if len(cycles) == 1 else ""
        evidence = page or fixed_link("assessment:cycles")
        for pk in pks(organizations):
            s = sums[pk]
            breakdown = {band: s.get(band, 0) for band in order}
            yield fact(
                key=BANDS,
                organization_id=pk,
                value=sum(breakdown.values()),
                breakdown=breakdown,
                evidence_url=evidence,
            )
