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
from dangjian.facts.rollup import fact, fixed_link, pks, rollup, set_wise, under

from .models import BrandReview, ReviewResult

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
