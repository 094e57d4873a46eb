"""Health facts for the assessment: screening counts per party organisation, aggregates only.

PIPL art. 28 and the health app's rule (HEALTH_MODELS.md §5): no figure over fewer than five screened people, nor
one that gives such a group away by subtraction. The figures are those of the aggregates page for the whole
tree — every party organisation and department of the institute, protected together by ``aggregates._tables`` —
so every value shown here is one that page shows to the committee office, and a withheld group stays withheld
(value None, ``inputs["withheld"]``) whoever asks and for whichever organisations. A party group is never a
unit of those tables, so its figures are always withheld.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import fact, fixed_link, pks, set_wise
from dangjian.orgs.models import Department, Organization
from dangjian.people.models import Membership, Person

from .aggregates import COUNTS, MIN_GROUP, _cells, _tables
from .models import ScreeningResult
from .services import UNIT_KINDS

LABELS = {
    "screened": _("健康筛查人数"),
    "cvd_low": _("心血管病低危人数"),
    "cvd_medium": _("心血管病中危人数"),
    "cvd_high": _("心血管病高危人数"),
    "gastric_raised": _("胃癌中高危人数"),
    "apcs_high": _("结直肠癌高风险（APCS）人数"),
    "colonoscopy": _("建议肠镜人数"),
    "follow_up": _("需随访人数"),
}
_RULE = _("《中华人民共和国个人信息保护法》第二十八条；本单位设置：不足5人的组不予显示")


@dataclass(frozen=True, slots=True)
class _Unit:
    """What ``aggregates._tables`` reads of an organisation or department."""

    pk: int
    path: str
    steplen: int


class HealthFacts:
    definitions = tuple(
        FactDefinition(
            key=f"health.{key}",
            label=LABELS[key],
            unit=_("人"),
            meaning=_(
                "当年健康筛查结果中，人员当前所在党组织属于本组织及其下级组织的人数（与“健康筛查汇总”页面一致）。"
                "筛查人数不足5人的组织，或可由其他数字相减推算出不足5人的组织，不予显示。"
            ),
            rule=_RULE,
            aggregate_only=True,
        )
        for key in COUNTS
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        year = period.end.year
        # the tables read a unit's id and path only: light stand-ins instead of 7,000 model instances
        units = [
            _Unit(pk, path, Organization.steplen)
            for pk, path in Organization.objects.filter(kind__in=UNIT_KINDS).order_by("path").values_list("pk", "path")
        ]
        departments = [
            _Unit(pk, path, Department.steplen)
            for pk, path in Department.objects.order_by("path").values_list("pk", "path")
        ]
        results = ScreeningResult.objects.filter(year=year, person__in=Person.objects.all())
        membership_path = Subquery(
            Membership.objects.current().filter(person_id=OuterRef("person_id")).values("organization__path")[:1]
        )
        org_groups, _departments = _tables(units, departments, _cells(results, membership_path))
        by_pk = {g.unit.pk: g for g in org_groups}
        evidence = fixed_link("health:aggregates", year=year)
        keys = [(key, f"health.{key}") for key in COUNTS]
        # one inputs mapping for all shown values and one for all withheld ones (read-only, like every input)
        shown_inputs, withheld_inputs = {"min_group": MIN_GROUP}, {"withheld": True, "min_group": MIN_GROUP}
        for pk in pks(organizations):
            group = by_pk.get(pk)
            if group is not None and group.shown:
                counts = group.counts
                for key, name in keys:
                    yield fact(name, pk, counts.get(key, 0), None, shown_inputs, evidence)
            else:
                for _key, name in keys:
                    yield fact(name, pk, None, None, withheld_inputs, evidence)
