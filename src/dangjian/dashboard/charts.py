"""The dashboard's charts, each built from the registered facts of one organisation (its subtree) and year.

Nothing here counts records: every figure is a ``FactValue`` of a provider in the registry
(``core.contributions.fact_providers``), computed set-wise for the chosen organisation and its sub-organisations in
one call per provider for the year; the months are the breakdowns of facts by month (meetings held, the compliance
rate), never one call per month. A chart is plain data — categories, series of numbers and, for each number, the
page it counts — that the template prints as a table and the static script draws with ECharts.

The values are kept in the cache for ``settings.DASHBOARD_CACHE_SECONDS`` per organisations, year and language, and
``dangjian dashboard-warm`` computes them ahead of the first request (``warm_many``).
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangjian.core.contributions import FactValue, Period, fact_definitions, fact_providers
from dangjian.health.aggregates import MIN_GROUP  # health figures are withheld below it, by the facts themselves
from dangjian.orgs.models import Organization, OrgKind

AGE = "people.members"
SEX = "people.members.sex"
EDUCATION = "people.members.education"
STANDING = "people.members.standing"
FUNNEL = "development.cases"
# meetings held per kind, broken down by month (meetings.facts); the kind's code is the key's middle part
HELD_BY_MONTH = (
    "meetings.members_meeting.held_by_month",
    "meetings.committee_meeting.held_by_month",
    "meetings.group_meeting.held_by_month",
    "meetings.lecture.held_by_month",
    "meetings.theme_day.held_by_month",
    "meetings.life_meeting.held_by_month",
)
COMPLIANCE_BY_MONTH = "compliance.rate.by_month"
BANDS = "assessment.bands"
# the bands of the year before, kept under this key when the year has no published results yet (a year's assessment
# is published early in the next: all year long the latest bands are the previous year's)
BANDS_BEFORE = "assessment.bands:before"
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
# every fact a chart reads (COMPARED's are among them)
NEEDED = frozenset(
    (AGE, SEX, EDUCATION, STANDING, FUNNEL, GRADES, *HELD_BY_MONTH, COMPLIANCE_BY_MONTH, BANDS, *LIFE_RATES, PAID)
) | frozenset((ARREARS, *APPRAISAL, *CARE, *HEALTH, *INTEGRATION))


def cache_seconds() -> int:
    """How long computed values are reused (``DASHBOARD_CACHE_SECONDS``, default 300): the figures come from records
    that change a few times a day, and the page must answer in well under a second."""
    return int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 300))


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


def compute(
    organizations: Sequence[Organization], year: int, progress: Callable[[int, int, str], None] | None = None
) -> Values:
    """The year's values of every needed fact for ``organizations``: one ``compute`` per provider that has one.
    ``progress(done, total, app)`` is told before each provider (a job shows it)."""
    values: Values = {}
    providers = [(app, p) for app, p in fact_providers() if {d.key for d in p.definitions} & NEEDED]
    for done, (app, provider) in enumerate(providers):
        keys = {d.key for d in provider.definitions}
        if progress is not None:
            progress(done, len(providers), app)
        for v in provider.compute(list(organizations), Period.year(year)):
            if v.key in NEEDED:
                values[v.key, v.organization_id] = v
        bands = [values.get((BANDS, o.pk)) for o in organizations] if BANDS in keys else []
        if any(v is not None and not v.value for v in bands):
            for v in provider.compute(list(organizations), Period.year(year - 1)):
                if v.key == BANDS:
                    values[BANDS_BEFORE, v.organization_id] = v
    return values


@dataclass(frozen=True)
class Kept:
    """A dashboard's values as the shared cache keeps them, with when they were computed (the page says so)."""

    values: Values
    computed_at: datetime


def keep(key: str, values: Values) -> None:
    shared_cache().set(key, Kept(values, timezone.now()), cache_seconds())


def kept(key: str) -> Kept | None:
    found = shared_cache().get(key)
    return found if isinstance(found, Kept) else None  # an entry of an earlier release counts as missing


def shared_cache():
    """The cache every process reads (``CACHES["shared"]``: the database's), so that values computed by one web
    worker or by ``dashboard-warm`` serve the others."""
    return caches["shared"]


def cache_key(organizations: Sequence[Organization], year: int) -> str:
    """Per organisations (the chosen one first, then those right below), year and language. The organisations
    below go in as a digest: a committee of sixty branches would make a key longer than the database cache's
    column (255 characters), and Django's database cache drops such a write without a word."""
    first, below = organizations[0].pk, ",".join(str(o.pk) for o in organizations[1:])
    digest = hashlib.sha256(below.encode()).hexdigest()[:32]
    return f"dashboard:{year}:{translation.get_language()}:{first}:{digest}"


def landing_organizations(*, everything: bool = False) -> list[Organization]:
    """The organisations whose dashboards are opened first: the top organisations, every party committee and the
    organisations of the roles that see the dashboard (a user lands on the first organisation of the scope: the
    assignment's); with ``everything``, every organisation the dashboard shows."""
    from dangjian.accounts.models import RoleAssignment
    from dangjian.accounts.roles import roles_with

    shown = Organization.objects.exclude(kind=OrgKind.GROUP)
    if everything:
        return list(shown.order_by("path"))
    assigned = RoleAssignment.objects.active().filter(role__in=roles_with("dashboard.view")).values("organization")
    chosen = shown.filter(Q(depth=1) | Q(kind=OrgKind.COMMITTEE) | Q(pk__in=assigned))
    return list(chosen.order_by("path"))


def warm_many(organizations: Sequence[Organization], year: int) -> int:
    """Keep the values of each organisation's dashboard (it and the organisations right below it, as a user whose
    scope covers its subtree sees them), computed in one pass over all of them: every fact is per organisation,
    so one set-wise ``compute`` serves every dashboard. Returns the number of dashboards kept."""
    shown = list(Organization.objects.exclude(kind=OrgKind.GROUP).order_by("path"))
    below: dict[str, list[Organization]] = {}
    for o in shown:
        below.setdefault(o.path[: -o.steplen], []).append(o)
    boards = [(org, [c for c in below.get(org.path, []) if c.depth == org.depth + 1]) for org in organizations]
    every = list({o.pk: o for org, children in boards for o in (org, *children)}.values())
    values = compute(every, year)
    by_org: dict[int, Values] = {}
    for k, v in values.items():  # once, not once a dashboard: a group's --all is 6,000 of them
        by_org.setdefault(k[1], {})[k] = v
    for org, children in boards:
        board: Values = {}
        for o in (org, *children):
            board.update(by_org.get(o.pk, {}))
        keep(cache_key([org, *children], year), board)
    return len(boards)


def sub_organizations(org: Organization, visible) -> list[Organization]:
    """The organisations right below ``org`` that the charts compare (party groups are no unit of the figures),
    among ``visible`` (the user's scope)."""
    below = visible.filter(depth=org.depth + 1, path__startswith=org.path).exclude(kind=OrgKind.GROUP)
    return list(below.order_by("path"))


class Builder:
    """Builds the charts of ``org`` from the computed values."""

    def __init__(self, org: Organization, year: int, children: list[Organization], values: Values):
        self.org = org
        self.year = year
        self.children = children
        self.values = values
        self.months = _months(year)
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
            self.compliance_by_month(),
            self.figures("life", _("组织生活与学习教育"), LIFE_RATES),
            self.dues(),
            self.breakdown("grades", GRADES, "bar"),
            self.appraisal(),
            self.bands(),
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
        """Meetings held per kind and month: each figure links to the list of that kind's meetings of the month."""
        keys = [k for k in HELD_BY_MONTH if k in self.defs and self.value(k) is not None]
        if not keys or not self.months:
            return None
        meetings = reverse("meetings:list")
        series = []
        for k in keys:
            data = self.values[k, self.org.pk].breakdown or {}
            kind = k.split(".")[1]
            series.append(
                Series(
                    self.label(k.replace(".held_by_month", ".held")),
                    [_number(data.get(str(m.start.month), 0)) for m in self.months],
                    [
                        f"{meetings}?kind={kind}&date_from={m.start.isoformat()}&date_to={m.end.isoformat()}"
                        f"&org={self.org.pk}"
                        for m in self.months
                    ],
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

    def compliance_by_month(self) -> Chart | None:
        """The compliance rate of the items due each month (a month with none due is a gap, not 0)."""
        v = self.value(COMPLIANCE_BY_MONTH)
        if v is None or not self.months:
            return None
        data = v.breakdown or {}
        return Chart(
            id="compliance_month",
            title=_("组织生活按期完成率（逐月）"),
            kind="line",
            unit=self.unit(COMPLIANCE_BY_MONTH),
            categories=self._month_labels(),
            series=[
                Series(
                    self.label(COMPLIANCE_BY_MONTH),
                    [_number(data.get(str(m.start.month))) for m in self.months],
                    [v.evidence_url for _m in self.months],
                )
            ],
            note=_("按义务周期结束的月份统计：季度义务计入季末月，年度义务计入12月；无应完成项的月份不显示。"),
            facts=[COMPLIANCE_BY_MONTH],
        )

    def bands(self) -> Chart | None:
        """Units by the band of the year's published assessment (or, until it is published, the year before's);
        each bar links to the cycle's results."""
        d, v, year = self.defs.get(BANDS), self.value(BANDS), self.year
        if v is not None and not v.value:
            v, year = self.value(BANDS_BEFORE), self.year - 1
        if d is None or v is None or not v.value:
            return None
        data = v.breakdown or {}
        codes = [*d.breakdown_labels, *(c for c in data if c not in d.breakdown_labels)]
        return Chart(
            id="bands",
            title=_("%(year)s年度党建工作责任制考核等次") % {"year": year},
            kind="bar",
            unit=str(d.unit),
            categories=[str(d.breakdown_labels.get(c, c)) for c in codes],
            series=[Series(str(d.label), [_number(data.get(c, 0)) for c in codes], [v.evidence_url for _c in codes])],
            note=_("当年已公布的考核结果（含定档调整）。"),
            facts=[BANDS],
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


def screen_charts(charts: list[Chart]) -> list[Chart]:
    """The big screen's charts: aggregate figures only — every chart here is a count or a rate, never a person."""
    return [c for c in charts if not c.empty]
