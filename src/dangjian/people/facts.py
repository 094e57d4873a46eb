"""Membership facts for statistics tables: party members per subtree, by age band, sex and education."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

from django.db.models import Case, CharField, Count, F, OuterRef, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import as_of, rollup, under

from .filters import AGE_BANDS, birth_range_for
from .models import Education, Membership, Person, Sex

PARTY = ("member", "probationary")
_STATS = _("党内统计：党员队伍结构（年龄、性别、学历）")
UNKNOWN = "unknown"


def party_members(organizations: Sequence):
    """Party members (full and probationary) annotated with ``org_path``, their current branch, inside the subtrees.

    The people list's "全部党员" under an organisation: the same people (a person has one current membership).
    """
    branch_path = Subquery(
        Membership.objects.current().filter(person_id=OuterRef("pk")).values("organization__path")[:1]
    )
    return (
        Person.objects.filter(political_status__in=PARTY)
        .annotate(org_path=branch_path)
        .filter(under(organizations, "org_path"), org_path__isnull=False)
    )


def _people_list(org_id: int, **extra) -> str:
    return f"{reverse('people:list')}?{urlencode({'org': org_id, 'status': 'party', **extra})}"


class PeopleFacts:
    definitions = (
        FactDefinition(
            key="people.members",
            label=_("党员人数"),
            unit=_("人"),
            meaning=_(
                "本组织及其下级组织现有组织关系的党员（含预备党员）人数，按统计日（期间末日，期间未结束时为今天）的年龄段分列。"
                "与“人员”页面筛选“全部党员”一致。"
            ),
            rule=_STATS,
            dimension="age_band",
            breakdown_labels=dict(AGE_BANDS),
        ),
        FactDefinition(
            key="people.members.sex",
            label=_("党员性别结构"),
            unit=_("人"),
            meaning=_("本组织及其下级组织现有党员（含预备党员）按性别分列的人数。"),
            rule=_STATS,
            dimension="sex",
            breakdown_labels=dict(Sex.choices),
        ),
        FactDefinition(
            key="people.members.education",
            label=_("党员学历结构"),
            unit=_("人"),
            meaning=_("本组织及其下级组织现有党员（含预备党员）按学历分列的人数；未登记学历的列为“未登记”。"),
            rule=_STATS,
            dimension="education",
            breakdown_labels={**dict(Education.choices), UNKNOWN: _("未登记")},
        ),
    )

    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        on = as_of(period)
        band = Case(
            *(When(birth_range_for(code, on), then=Value(code)) for code, _label in AGE_BANDS),
            default=Value(UNKNOWN),
            output_field=CharField(),
        )
        members = party_members(organizations).order_by()
        by_age = members.annotate(dim=band).values("org_path", "dim").annotate(n=Count("id"))
        by_sex = members.values("org_path", dim=F("sex")).annotate(n=Count("id"))
        by_education = members.values("org_path", dim=F("education")).annotate(n=Count("id"))
        tables = {
            "people.members": rollup(organizations, ((r["org_path"], {r["dim"]: r["n"]}) for r in by_age)),
            "people.members.sex": rollup(organizations, ((r["org_path"], {r["dim"]: r["n"]}) for r in by_sex)),
            "people.members.education": rollup(
                organizations, ((r["org_path"], {r["dim"] or UNKNOWN: r["n"]}) for r in by_education)
            ),
        }
        for org in organizations:
            for definition in self.definitions:
                counts = tables[definition.key][org.pk]
                breakdown = {k: counts.get(k, 0) for k in definition.breakdown_labels}
                extra = {k: n for k, n in counts.items() if k not in breakdown and n}
                yield FactValue(
                    key=definition.key,
                    organization_id=org.pk,
                    value=sum(counts.values()),
                    breakdown={**breakdown, **extra},
                    inputs={"as_of": on.isoformat()},
                    evidence_url=_people_list(org.pk),
                )
