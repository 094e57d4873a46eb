"""The dashboard's charts, each built from the registered facts of one organisation (its subtree) and year.

Nothing here counts records: every figure is a ``FactValue`` of a provider in the registry
(``core.contributions.fact_providers``), computed set-wise for the chosen organisation and its sub-organisations in
one call per provider, plus one call per month for the provider of meetings held (its facts take any period). A
chart is plain data — categories, series of numbers and, for each number, the page it counts — that the template
prints as a table and the static script draws with ECharts.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangjian.core.contributions import FactValue, Period, fact_definitions, fact_providers
from dangjian.health.aggregates import MIN_GROUP  # health figures are withheld below it, by the facts themselves
from dangjian.orgs.models import Organization, OrgKind

# how long a computed set of values is reused for the same organisation, year and language (seconds): the figures
# come from records that change a few times a day, and the page must answer in well under a second
CACHE_SECONDS = 300

AGE = "people.members"
SEX = "people.members.sex"
EDUCATION = "people.members.education"
STANDING = "people.members.standing"
FUNNEL = "development.cases"
HELD = (
    "meetings.members_meeting.held",
    "meetings.committee_meeting.held",
    "meetings.group_meeting.held",
    "meetings.lecture.held",
    "meetings.theme_day.held",
    "meetings.life_meeting.held",
)
LIFE_RATES = (
    "compliance.rate",
    "compliance.three_meetings.rate",
    "compliance.theme_day.rate",
    "meetings.attendance_rate",
    "talks.coverage",
    "hours.met_rate",
)
PAID = "dues.paid_rate"
ARREARS = "dues.arrears_members"
GRADES = "appraisal.grades"
APPRAISAL = ("appraisal.done", "assessment.brand.recognised", "assessment.benchmark.titled")
CARE = ("care.obligations_on_time_rate", "care.matters_on_time_rate")
HEALTH = (
    "health.screened",
    "health.cvd_low",
    "health.cvd_medium",
    "health.cvd_high",
    "health.gastric_raised",
    "health.apcs_high",
    "health.colonoscopy",
    "health.follow_up",
)
INTEGRATION = (
    "integration.matrix.coverage_rate",
    "integration.pledges.fulfilment_rate",
    "integration.model_posts.reviewed_rate",
    "workplan.deployments.completion_rate",
    "workplan.deployments.on_time_rate",
)
# the rates compared institute by institute (one series per institute)
COMPARED = (
    "compliance.rate",
    "meetings.attendance_rate",
    "talks.coverage",
    "hours.met_rate",
    PAID,
    "care.obligations_on_time_rate",
    "integration.matrix.coverage_rate",
)
MONTHLY = HELD
# every fact a chart reads (COMPARED's are among them)
NEEDED = frozenset(
    (AGE, SEX, EDUCATION, STANDING, FUNNEL, GRADES, *HELD, *LIFE_RATES, PAID, ARREARS, *APPRAISAL, *CARE, *HEALTH)
) | frozenset(INTEGRATION)


@dataclass
class Series:
    name: str
    data: list[float | int | None]
    links: list[str]


@dataclass
class Chart:
    """One chart: ``kind`` is how the script draws it (bar, hbar, stack, line, pie, funnel)."""

    id: str
    title: str
    kind: str
    unit: str
    categories: list[str]
    series: list[Series]
    note: str = ""
    facts: list[str] = field(default_factory=list)

    @property
    def size(self) -> str:
        """The card's height class: a horizontal bar chart of many categories needs room for each."""
        n = len(self.categories)
        if self.kind == "hbar" and n > 24:
            return "dash-huge"
        if self.kind == "hbar" and n > 10:
            return "dash-tall"
        return ""

    @property
    def empty(self) -> bool:
        return not self.categories or all(v is None for s in self.series for v in s.data)

    def rows(self) -> list[tuple[str, list[tuple[Any, str]]]]:
        """The table view: one row per category, one cell (value, link) per series."""
        return [
            (category, [(s.data[n], s.links[n]) for s in self.series]) for n, category in enumerate(self.categories)
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "unit": self.unit,
            "categories": self.categories,
            "series": [{"name": s.name, "data": s.data, "links": s.links} for s in self.series],
        }


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def _months(year: int) -> list[Period]:
    """The year's months up to the current one (a month not yet begun has no figures)."""
    today = timezone.localdate()
    last = 12 if year < today.year else today.month
    return [Period(date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1])) for m in range(1, last + 1)]


Values = dict[tuple[str, int], FactValue]


def compute(organizations: Sequence[Organization], year: int) -> tuple[Values, list[Values]]:
    """The year's values of every needed fact for ``organizations``, and the months' values for the first one.

    One ``compute`` per provider for the year, and one per month for the provider of the monthly facts.
    """
    needed = NEEDED
    yearly: Values = {}
    monthly: list[Values] = [{} for _m in _months(year)]
    for _app, provider in fact_providers():
        keys = {d.key for d in provider.definitions}
        if keys & needed:
            for v in provider.compute(list(organizations), Period.year(year)):
                if v.key in needed:
                    yearly[v.key, v.organization_id] = v
        if keys & frozenset(MONTHLY):
            for n, month in enumerate(_months(year)):
                for v in provider.compute(list(organizations[:1]), month):
                    if v.key in MONTHLY:
                        monthly[n][v.key, v.organization_id] = v
    return yearly, monthly


def cached_compute(organizations: Sequence[Organization], year: int) -> tuple[Values, list[Values]]:
    """``compute``, reused for ``CACHE_SECONDS`` for the same organisations, year and language (labels in inputs)."""
    key = "dashboard:{}:{}:{}".format(year, translation.get_language(), ",".join(str(o.pk) for o in organizations))
    found = cache.get(key)
    if found is None:
        found = compute(organizations, year)
        cache.set(key, found, CACHE_SECONDS)
    return found


def sub_organizations(org: Organization, visible) -> list[Organization]:
    """The organisations right below ``org`` that the charts compare (party groups are no unit of the figures),
    among ``visible`` (the user's scope)."""
    below = visible.filter(depth=org.depth + 1, path__startswith=org.path).exclude(kind=OrgKind.GROUP)
    return list(below.order_by("path"))


class Builder:
    """Builds the charts of ``org`` from the computed values."""

    def __init__(self, org: Organization, year: int, children: list[Organization], values: Values, months: list):
        self.org = org
        self.year = year
        self.children = children
        self.values = values
        self.months = months
        self.defs = fact_definitions()

    # -- helpers

    def value(self, key: str, org: Organization | None = None) -> FactValue | None:
        return self.values.get((key, (org or self.org).pk))

    def label(self, key: str) -> str:
        d = self.defs.get(key)
        return str(d.label) if d else key

    def unit(self, key: str) -> str:
        d = self.defs.get(key)
        return str(d.unit) if d else ""

    def breakdown(self, id_: str, key: str, kind: str, link=None, title: str = "") -> Chart | None:
        """One fact's breakdown; ``title`` when the fact's own label does not say what is broken down (党员人数 by
        age band is the age structure)."""
        d = self.defs.get(key)
        v = self.value(key)
        if d is None or v is None:
            return None
        data = v.breakdown or {}
        codes = list(d.breakdown_labels) or list(data)
        links = [link(code) if link else v.evidence_url for code in codes]
        return Chart(
            id=id_,
            title=str(title or d.label),
            kind=kind,
            unit=str(d.unit),
            categories=[str(d.breakdown_labels.get(c, c)) for c in codes],
            series=[Series(str(d.label), [_number(data.get(c, 0)) for c in codes], links)],
            facts=[key],
        )

    def figures(self, id_: str, title: str, keys: Sequence[str], kind: str = "hbar", note: str = "") -> Chart | None:
        """One bar per fact (all of one unit), each linking to the records it counts."""
        keys = [k for k in keys if k in self.defs and self.value(k) is not None]
        if not keys:
            return None
        vals = [self.value(k) for k in keys]
        return Chart(
            id=id_,
            title=title,
            kind=kind,
            unit=self.unit(keys[0]),
            categories=[self.label(k) for k in keys],
            series=[Series(title, [_number(v.value) for v in vals], [v.evidence_url for v in vals])],
            note=note,
            facts=list(keys),
        )

    # -- the charts

    def charts(self) -> list[Chart]:
        people = reverse("people:list")
        org_pk = self.org.pk
        out = [
            self.breakdown(
                "age",
                AGE,
                "bar",
                link=lambda code: f"{people}?status=party&org={org_pk}&age={code}",
                title=_("党员年龄结构"),
            ),
            self.breakdown("education", EDUCATION, "pie"),
            self.breakdown("sex", SEX, "pie"),
            self.breakdown("standing", STANDING, "bar"),
            self.breakdown("funnel", FUNNEL, "funnel"),
            self.life_by_month(),
            self.figures("life", _("组织生活与学习教育"), LIFE_RATES),
            self.dues(),
            self.breakdown("grades", GRADES, "bar"),
            self.appraisal(),
            self.figures("care", _("关心关怀与为群众办实事"), CARE),
            self.health(),
            self.figures("integration", _("党建与业务融合"), INTEGRATION),
            self.sub_orgs(),
            self.compared(),
        ]
        return [c for c in out if c is not None]

    def _month_labels(self) -> list[str]:
        return [_("%(month)d月") % {"month": n + 1} for n in range(len(self.months))]

    def life_by_month(self) -> Chart | None:
        keys = [k for k in HELD if k in self.defs]
        if not keys or not self.months:
            return None
        series = []
        for k in keys:
            vals = [m.get((k, self.org.pk)) for m in self.months]
            series.append(
                Series(
                    self.label(k),
                    [_number(v.value) if v else None for v in vals],
                    [v.evidence_url if v else "" for v in vals],
                )
            )
        return Chart(
            id="life_month",
            title=_("组织生活逐月开展情况"),
            kind="stack",
            unit=self.unit(keys[0]),
            categories=self._month_labels(),
            series=series,
            note=_("各类会议每月召开次数；按期完成率见下一图。"),
            facts=keys,
        )

    def dues(self) -> Chart | None:
        """The latest month's paid rate of the organisation and of each organisation right below it."""
        if PAID not in self.defs:
            return None
        orgs = [self.org, *self.children]
        vals = [self.value(PAID, o) for o in orgs]
        if all(v is None for v in vals):
            return None
        notes = []
        month = next((v.inputs.get("month") for v in vals if v is not None and v.inputs.get("month")), "")
        if month:
            notes.append(_("统计月：%(month)s。") % {"month": month})
        arrears = self.value(ARREARS)
        if arrears is not None and arrears.value is not None:
            notes.append(
                _("%(label)s：%(n)s %(unit)s")
                % {"label": self.label(ARREARS), "n": arrears.value, "unit": self.unit(ARREARS)}
            )
        return Chart(
            id="dues",
            title=_("党费交纳率"),
            kind="hbar",
            unit=self.unit(PAID),
            categories=[o.name for o in orgs],
            series=[
                Series(
                    self.label(PAID),
                    [_number(v.value) if v else None for v in vals],
                    [v.evidence_url if v else "" for v in vals],
                )
            ],
            note=" ".join(notes),
            facts=[PAID, ARREARS],
        )

    def appraisal(self) -> Chart | None:
        chart = self.figures("appraisal", _("民主评议与考核"), APPRAISAL, kind="bar")
        done = self.value("appraisal.done")
        if chart is not None and done is not None and "branches" in done.inputs:
            chart.note = _("当年存在的党支部 %(n)s 个。") % {"n": done.inputs["branches"]}
        return chart

    def health(self) -> Chart | None:
        """Screening aggregates: a withheld figure (a group under the minimum size) is left out, never shown."""
        keys = [k for k in HEALTH if k in self.defs and self.value(k) is not None]
        shown = [k for k in keys if self.value(k).value is not None]
        note = _("健康数据仅显示不少于%(n)d人的组的汇总数。") % {"n": MIN_GROUP}
        if keys and not shown:
            return Chart(
                id="health",
                title=_("健康筛查汇总"),
                kind="bar",
                unit=self.unit(keys[0]),
                categories=[],
                series=[],
                note=_("不足%(n)d人或可推算出不足%(n)d人的组，不予显示。") % {"n": MIN_GROUP},
                facts=keys,
            )
        return self.figures("health", _("健康筛查汇总"), shown, note=note)

    def sub_orgs(self) -> Chart | None:
        """Members per organisation right below, each linking to that organisation's own dashboard."""
        if not self.children:
            return None
        base = reverse("dashboard:index")
        vals = [self.value(AGE, c) for c in self.children]
        return Chart(
            id="sub_orgs",
            title=_("下级组织党员人数"),
            kind="hbar",
            unit=self.unit(AGE),
            categories=[c.name for c in self.children],
            series=[
                Series(
                    self.label(AGE),
                    [_number(v.value) if v else None for v in vals],
                    [f"{base}?org={c.pk}&year={self.year}" for c in self.children],
                )
            ],
            facts=[AGE],
        )

    def compared(self) -> Chart | None:
        """For a group: its institutes (the committees right below) side by side, one series per institute."""
        institutes = [c for c in self.children if c.kind == OrgKind.COMMITTEE]
        keys = [k for k in COMPARED if k in self.defs]
        if len(institutes) < 2 or not keys:
            return None
        base = reverse("dashboard:index")
        series = []
        for inst in institutes:
            vals = [self.value(k, inst) for k in keys]
            series.append(
                Series(
                    inst.name,
                    [_number(v.value) if v else None for v in vals],
                    [f"{base}?org={inst.pk}&year={self.year}" for _v in vals],
                )
            )
        return Chart(
            id="compared",
            title=_("各单位对比"),
            kind="group",
            unit="%",
            categories=[self.label(k) for k in keys],
            series=series,
            facts=keys,
        )


def build(org: Organization, year: int, children: list[Organization]) -> list[Chart]:
    values, months = cached_compute([org, *children], year)
    return Builder(org, year, children, values, months).charts()


def screen_charts(charts: list[Chart]) -> list[Chart]:
    """The big screen's charts: aggregate figures only — every chart here is a count or a rate, never a person."""
    return [c for c in charts if not c.empty]
