"""A fact for the bonus indicators (加分项): the unit holds the title 标杆党支部 (issue 14 §3: "a 标杆 title feeds bonus
indicators").

``assessment.benchmark.titled``: 1 when the unit holds a 标杆党支部 title, not withdrawn, granted for the year the
period ends in or the year before (a title granted from last year's cycle is what this year's assessment rewards),
else 0. The unit's own title only — a committee is not a branch, so nothing is summed over a subtree. One query,
whatever the number of units. Register in ``contrib.py``'s facts with ``BrandFacts``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import fact, link, pks, set_wise, under

from .models import Title, TitleKind

KEY = "assessment.benchmark.titled"


class BenchmarkTitleFacts:
    definitions = (
        FactDefinition(
            key=KEY,
            label=_("标杆党支部称号"),
            unit=_("个"),
            meaning=_("本组织持有当年或上一年度党委授予、未撤销的标杆党支部称号的，为 1，否则为 0。"),
            rule=_("本单位设置：抓两头促中间，获评标杆党支部计入考核加分项"),
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        year = period.end.year
        titled = set(
            Title.objects.filter(
                under(organizations, "organization__path"),
                kind=TitleKind.BENCHMARK,
                year__in=(year - 1, year),
                withdrawn_at__isnull=True,
            ).values_list("organization_id", flat=True)
        )
        page = link("orgs:detail", pk=True)  # the organisation's page lists its titles ({% org_stars %})
        for pk in pks(organizations):
            n = 1 if pk in titled else 0
            yield fact(key=KEY, organization_id=pk, value=n, inputs={"titled": n}, evidence_url=page.format(pk))
