"""The write side of assessment cycles: open a cycle, compute a snapshot of its auto scores, record occurrences.

Each function is one user intention in one transaction with its audit event. ``compute`` is the heavy one: it asks
each fact provider the system's auto leaves need once, for every unit of the cycle together (the providers are
set-wise: a few queries each, never one per unit), scores each leaf with ``scoring.score`` and writes the scores
with ``bulk_create`` as a new snapshot; the previous snapshot is kept and stops being current. The page starts it
as a background job (``start_recompute``) and never computes inside a GET.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record
from dangjian.core.contributions import FactDefinition, FactValue, Period, fact_providers
from dangjian.jobs import services as jobs
from dangjian.orgs.models import Organization, OrgKind

from . import scoring
from .explain import describe, explanation
from .models import (
    AssessmentCycle,
    AutoScore,
    CycleStatus,
    CycleUnit,
    Indicator,
    IndicatorSystem,
    Method,
    Occurrence,
    SectionScore,
    Snapshot,
    SystemStatus,
)
from .services import require_manage

KIND = "assessment.compute"
VALUE_PLACES = Decimal("0.0001")


def period_of(cycle: AssessmentCycle) -> Period:
    """The year, or its first (1–6月) or second (7–12月) half."""
    if cycle.half == 1:
        return Period(date(cycle.year, 1, 1), date(cycle.year, 6, 30))
    if cycle.half == 2:
        return Period(date(cycle.year, 7, 1), date(cycle.year, 12, 31))
    return Period.year(cycle.year)


def open_cycle(
    user: Any,
    *,
    system_id: int,
    year: int,
    half: int | None,
    title: str,
    unit_ids: Iterable[int],
    self_deadline: date,
    review_deadline: date,
) -> AssessmentCycle:
    """Open a cycle of a published system over the given units (the office over the whole tree)."""
    require_manage(user)
    errors: list[str] = []
    system = IndicatorSystem.objects.filter(pk=system_id).first()
    if system is None or system.status != SystemStatus.PUBLISHED:
        errors.append(_("请选择一个已发布的指标体系"))
    if not 2000 <= year <= 2100:
        errors.append(_("年度不正确"))
    if half not in (None, 1, 2):
        errors.append(_("半年应为上半年或下半年"))
    if review_deadline < self_deadline:
        errors.append(_("审核截止日期不能早于自评截止日期"))
    ids = sorted({int(pk) for pk in unit_ids})
    units = list(Organization.objects.filter(pk__in=ids).exclude(kind=OrgKind.GROUP).only("pk", "kind"))
    if not units:
        errors.append(_("请至少选择一个考核对象"))
    elif len(units) != len(ids):
        errors.append(_("考核对象中有不存在的组织或党小组"))
    if errors:
        raise ValidationError(errors)
    assert system is not None
    with transaction.atomic():
        cycle = AssessmentCycle.objects.create(
            system=system,
            year=year,
            half=half,
            title=title.strip() or _("%(year)s年度党建工作责任制考核") % {"year": year},
            self_deadline=self_deadline,
            review_deadline=review_deadline,
            opened_by=user,
        )
        CycleUnit.objects.bulk_create(CycleUnit(cycle=cycle, organization=u, kind=u.kind) for u in units)
        record(
            "create",
            cycle,
            detail={"system": system.pk, "year": year, "half": half, "units": len(units)},
            object_repr=str(cycle),
        )
    return cycle


def leaves(system: IndicatorSystem) -> tuple[list[Indicator], dict[int, int]]:
    """The system's indicators in order, and each indicator's 一级 (top-level) ancestor id."""
    rows = list(Indicator.objects.filter(system=system).order_by("position", "pk"))
    parent = {r.pk: r.parent_id for r in rows}
    top: dict[int, int] = {}
    for r in rows:
        pk = r.pk
        while parent[pk] is not None:
            pk = parent[pk]  # type: ignore[assignment]
        top[r.pk] = pk
    return rows, top


def _facts(keys: set[str], organizations: Sequence[Organization], period: Period) -> dict[tuple[str, int], FactValue]:
    """One call per provider that defines a needed key: each is set-wise over all the units."""
    out: dict[tuple[str, int], FactValue] = {}
    for _app, provider in fact_providers():
        if not keys & {d.key for d in provider.definitions}:
            continue
        for value in provider.compute(organizations, period):
            if value.key in keys:
                out[(value.key, value.organization_id)] = value
    return out


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return scoring.number(value).quantize(VALUE_PLACES)
    except (ValueError, ArithmeticError):
        return None


def compute(cycle: AssessmentCycle, user: Any) -> Snapshot:
    """A new snapshot of every auto leaf for every unit of ``cycle``; the previous one kept, no longer current."""
    from dangjian.core.contributions import fact_definitions

    indicators, top = leaves(cycle.system)
    autos = [r for r in indicators if r.method == Method.AUTO]
    organizations = list(
        Organization.objects.filter(pk__in=CycleUnit.objects.filter(cycle=cycle).values("organization"))
    )
    definitions: dict[str, FactDefinition] = fact_definitions()
    facts = _facts({r.fact_key for r in autos}, organizations, period_of(cycle))
    with transaction.atomic():
        AssessmentCycle.objects.select_for_update(no_key=True).filter(pk=cycle.pk).first()
        number = (Snapshot.objects.filter(cycle=cycle).aggregate(n=Max("number"))["n"] or 0) + 1
        Snapshot.objects.filter(cycle=cycle, current=True).update(current=False)
        AssessmentCycle.results_changed(cycle.pk)
        snapshot = Snapshot.objects.create(
            cycle=cycle, number=number, taken_at=timezone.now(), taken_by=user, current=True
        )
        rows = list(_score_rows(snapshot, autos, top, organizations, facts, definitions))
        _insert(AutoScore, COLUMNS, rows)
        sums: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        for row in rows:
            sums[(row[1], row[3])] += row[6]
        _insert(SectionScore, SECTION_COLUMNS, [(snapshot.pk, u, s, p) for (u, s), p in sums.items()])
        record(
            "create",
            snapshot,
            detail={"cycle": cycle.pk, "number": number, "units": len(organizations), "scores": len(rows)},
            object_repr=str(snapshot),
        )
    return snapshot


def _lost(job: Any, reason: str) -> None:
    """The reaper gave the computation up: nothing was written (one transaction); the page shows the job's error."""


COLUMNS = (
    "snapshot_id",
    "unit_id",
    "indicator_id",
    "section_id",
    "value",
    "inputs",
    "score",
    "explanation",
    "evidence_url",
)


def _score_rows(
    snapshot: Snapshot,
    autos: list[Indicator],
    top: dict[int, int],
    organizations: Sequence[Organization],
    facts: dict[tuple[str, int], FactValue],
    definitions: dict[str, FactDefinition],
) -> Iterable[tuple[Any, ...]]:
    """One row per unit and auto leaf, in ``COLUMNS`` order. Units with the same figures share the words: the
    explanation is built once per leaf and distinct (value, inputs), not 240,000 times at group scale."""
    words: dict[Any, tuple[Decimal, str, str, Decimal | None]] = {}
    for leaf in autos:
        section = top[leaf.pk]
        described = describe(leaf, definitions.get(leaf.fact_key))
        method = leaf.scoring_method()
        for org in organizations:
            fact = facts.get((leaf.fact_key, org.pk))
            key: Any = None if fact is None else (fact.value, tuple(fact.inputs.items()))
            try:
                cached = words.get(key)
            except TypeError:  # an input that is not hashable (a list): the words are built for this row alone
                key, cached = object(), None
            if cached is None:
                value = None if fact is None else fact.value
                try:
                    points = scoring.score(method, value)
                    missing = False
                except ValueError:  # no value for this unit (nothing due), or not a number
                    points, missing = scoring.score_missing(method), True
                inputs = json.dumps(dict(fact.inputs) if fact is not None else {}, cls=DjangoJSONEncoder)
                text = explanation(described, leaf.points, fact, points, missing)
                cached = words[key] = (points, text, inputs, _decimal(value))
            points, text, inputs, number = cached
            evidence = fact.evidence_url[:500] if fact is not None else ""
            yield (snapshot.pk, org.pk, leaf.pk, section, number, inputs, points, text, evidence)
        words.clear()


SECTION_COLUMNS = ("snapshot_id", "unit_id", "section_id", "points")


def _insert(model: Any, names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL: one COPY (a few hundred thousand rows through bulk_create take many seconds); others: executemany."""
    table = model._meta.db_table
    columns = ", ".join(connection.ops.quote_name(c) for c in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


@jobs.job_handler(on_lost=_lost)
def run_compute(job: Any) -> None:
    cycle = AssessmentCycle.objects.select_related("system").get(job=job)
    job.progress(0, 1, _("正在计算自动计分指标"))
    compute(cycle, job.owner)
    job.progress(1, 1, _("计算完成"))


def start_recompute(user: Any, cycle_pk: int) -> AssessmentCycle:
    """Compute a new snapshot in the background; refused while one is being computed."""
    require_manage(user)
    with transaction.atomic():
        cycle = (
            AssessmentCycle.objects.select_for_update(of=("self",), no_key=True)
            .select_related("job")
            .filter(pk=cycle_pk)
            .first()
        )
        if cycle is None:
            raise Http404(_("对象不存在"))
        if cycle.job is not None and cycle.job.status in ("pending", "running"):
            raise ValidationError(_("正在计算，请等待完成"))
        if cycle.status in (CycleStatus.SIGNED, CycleStatus.PUBLISHED):
            raise ValidationError(_("考核结果已签批，不能重新计算"))
        cycle.job = jobs.create(KIND, run_compute, user, retry=True, total=1)
        cycle.save(update_fields=["job"])
        jobs.update_url(cycle.job, reverse("assessment:cycle", args=[cycle.pk]))
        record("update", cycle, detail={"recompute": True}, object_repr=str(cycle))
    jobs.enqueue(cycle.job)
    cycle.refresh_from_db()
    return cycle


def record_occurrence(
    user: Any, cycle_pk: int, *, unit_id: int, indicator_id: int, magnitude: Decimal, reason: str, evidence: Any = None
) -> Occurrence:
    """An occurrence on a deduction, bonus or veto leaf of the cycle's system, for one of its units."""
    require_manage(user)
    cycle = AssessmentCycle.objects.filter(pk=cycle_pk).first()
    if cycle is None:
        raise Http404(_("对象不存在"))
    errors: list[str] = []
    leaf = Indicator.objects.filter(
        pk=indicator_id, system_id=cycle.system_id, method__in=(Method.DEDUCTION, Method.BONUS, Method.VETO)
    ).first()
    if leaf is None:
        errors.append(_("请选择本考核指标体系中的扣分项、加分项或一票否决项"))
    if not CycleUnit.objects.filter(cycle=cycle, organization_id=unit_id).exists():
        errors.append(_("该组织不是本周期的考核对象"))
    if not reason.strip():
        errors.append(_("请填写事由"))
    if leaf is not None and leaf.method != Method.VETO and (magnitude <= 0 or magnitude > leaf.points):
        errors.append(_("分值应大于 0、不超过该项分值 %(points)s 分") % {"points": leaf.points})
    if cycle.status in (CycleStatus.SIGNED, CycleStatus.PUBLISHED):
        errors.append(_("考核结果已签批，不能再记录"))
    if errors:
        raise ValidationError(errors)
    assert leaf is not None
    signed = (
        Decimal(0) if leaf.method == Method.VETO else (-magnitude if leaf.method == Method.DEDUCTION else magnitude)
    )
    with transaction.atomic():
        occurrence = Occurrence(
            cycle=cycle, unit_id=unit_id, indicator=leaf, points=signed, reason=reason.strip(), recorded_by=user
        )
        if evidence:
            occurrence.evidence = evidence
        occurrence.save()
        AssessmentCycle.results_changed(cycle.pk)
        record(
            "create",
            occurrence,
            detail={"cycle": cycle.pk, "unit": unit_id, "indicator": leaf.pk, "points": str(signed)},
            object_repr=str(occurrence),
        )
    return occurrence


def withdraw_occurrence(user: Any, pk: int, reason: str) -> Occurrence:
    """Withdraw a mistaken occurrence with a reason; it stays recorded and stops counting."""
    require_manage(user)
    if not reason.strip():
        raise ValidationError(_("请填写撤销原因"))
    with transaction.atomic():
        occurrence = Occurrence.objects.select_for_update().filter(pk=pk).first()
        if occurrence is None:
            raise Http404(_("对象不存在"))
        if occurrence.withdrawn_at is not None:
            raise ValidationError(_("该记录已撤销"))
        occurrence.withdrawn_at = timezone.now()
        occurrence.withdrawn_reason = reason.strip()
        occurrence.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        record("update", occurrence, detail={"withdrawn": reason.strip()}, object_repr=str(occurrence))
        AssessmentCycle.results_changed(occurrence.cycle_id)
    return occurrence
