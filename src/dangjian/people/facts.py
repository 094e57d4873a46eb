"""Membership facts for statistics tables: party members per subtree, by age band, sex, education and party standing
(党龄, years since admission)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Count, F, FilteredRelation, Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import as_of, counted_by_org, fact, link, pks, rollup, set_wise, under, within

from .filters import AGE_BANDS, _years_before, birth_range_for
from .models import Education, Membership, Person, Sex

PARTY = ("member", "probationary")
_STATS = _("本单位设置：党员队伍结构按人员页面的年龄段、性别和学历分列")
UNKNOWN = "unknown"
# 党龄 bands: (code, label, at least years, fewer than years); a member admitted on the day counts 0 years
STANDING_BANDS = (
    ("lt5", _("5年以下"), None, 5),
    ("5to10", _("5–9年"), 5, 10),
    ("10to20", _("10–19年"), 10, 20),
    ("20to30", _("20–29年"), 20, 30),
    ("30p", _("30年及以上"), 30, None),
)


def standing_q(low: int | None, high: int | None, on) -> Q:
    """Memberships whose 入党日期 gives at least ``low`` and fewer than ``high`` full years of standing on ``on``."""
    q = Q(admitted_on__isnull=False)
    if low is not None:
        q &= Q(admitted_on__lte=_years_before(on, low))
    if high is not None:
        q &= Q(admitted_on__gt=_years_before(on, high))
    return q


def party_members(organizations: Sequence):
    """Party members (full and probationary) annotated with ``org_path``, their current branch, inside the subtrees.

    The people list's "全部党员" under an organisation: the same people (a person has one current membership).
    A join, not a correlated subquery: the database reads it once for 150,000 people.
    """
    condition = Q(memberships__ended_on__isnull=True, memberships__deleted_at__isnull=True)
    current = FilteredRelation("memberships", condition=condition)
    return (
        Person.objects.filter(political_status__in=PARTY)
        .annotate(current=current)
        .filter(current__isnull=False)
        .annotate(org_path=F("current__organization__path"))
        .filter(under(organizations, "org_path"))
    )


def _current_members(organizations: Sequence):
    """The current memberships of party members in the subtrees, for counting by the person's attributes."""
    return Membership.objects.current().filter(
        within(organizations),
        person__political_status__in=PARTY,
        person__deleted_at__isnull=True,
    )


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
        FactDefinition(
            key="people.members.standing",
            label=_("党员党龄结构"),
            unit=_("人"),
            meaning=_(
                "本组织及其下级组织现有党员（含预备党员）按党龄（入党日期至统计日的整年数）分列的人数；"
                "未登记入党日期的列为“未登记”。"
            ),
            rule=_STATS,
            dimension="party_standing",
            breakdown_labels={**{code: label for code, label, _lo, _hi in STANDING_BANDS}, UNKNOWN: _("未登记")},
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        on = as_of(period)
        # one scan, one row per branch: a conditional count per age band, sex and education
        dims = {
            "people.members": {code: _on_person(birth_range_for(code, on)) for code, _label in AGE_BANDS},
            "people.members.sex": {code: Q(person__sex=code) for code in Sex.values},
            "people.members.education": {
                **{code: Q(person__education=code) for code in Education.values},
                UNKNOWN: ~Q(person__education__in=Education.values),
            },
            "people.members.standing": {
                **{code: standing_q(lo, hi, on) for code, _label, lo, hi in STANDING_BANDS},
                UNKNOWN: Q(admitted_on__isnull=True),
            },
        }
        counts = {
            f"{key}|{code}": Count("id", filter=q) for key, by_code in dims.items() for code, q in by_code.items()
        }
        rows = (
            _current_members(organizations)
            .order_by()
            .values(org=F("organization"))
            .annotate(total=Count("id"), **counts)
        )
        sums = rollup(organizations, counted_by_org(rows, organizations))
        people_list = link("people:list", status="party")
        inputs = {"as_of": on.isoformat()}  # the same for every value
        for pk in pks(organizations):
            s = sums[pk]
            total = s.get("total", 0)
            evidence = f"{people_list}{pk}"
            for key, by_code in dims.items():
                yield fact(
                    key=key,
                    organization_id=pk,
                    value=total,
                    breakdown={code: s.get(f"{key}|{code}", 0) for code in by_code},
                    inputs=inputs,
                    evidence_url=evidence,
                )


def _on_person(q: Q) -> Q:
    """The people list's filter on a person, applied to a membership's person."""
    return Q(*((f"person__{k}", v) for k, v in q.children), _connector=q.connector)
