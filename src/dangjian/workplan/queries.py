"""Reads the pages, the API and the documents share: a plan's items with their deployments and each deployment's
latest progress, in a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, QuerySet

from dangjian.integration import evidence

from .models import Deployment, PlanItem, ProgressReport


def latest_reports(deployment_ids: Iterable[int], *, files: bool = False) -> dict[int, ProgressReport]:
    """Each deployment's latest report (by quarter, then date). One query; with ``files``, each report's evidence
    (``report.files``) in one more."""
    out: dict[int, ProgressReport] = {}
    rows = ProgressReport.objects.filter(deployment_id__in=list(deployment_ids)).order_by(
        "deployment_id", "-year", "-quarter", "-reported_on", "-pk"
    )
    for r in rows:
        out.setdefault(r.deployment_id, r)
    if files and out:
        found = evidence.of_many(list(out.values()))
        for r in out.values():
            r.files = found.get((ProgressReport, r.pk), [])
    return out


def with_deployments(items: QuerySet[PlanItem], deployments: QuerySet[Deployment]) -> QuerySet[PlanItem]:
    """``items`` with their lines, key tasks and the given ``deployments`` (``item.shown``)."""
    return items.prefetch_related(
        "lines",
        "projects",
        Prefetch(
            "deployments",
            queryset=deployments.select_related("organization", "responsible").order_by("deadline", "pk"),
            to_attr="shown",
        ),
    )


def attach_latest(items: Iterable[PlanItem], *, files: bool = False) -> None:
    """Sets ``latest`` (the latest report, or None) on every shown deployment of ``items``. One query."""
    deps = [d for item in items for d in item.shown]
    latest = latest_reports((d.pk for d in deps), files=files)
    for d in deps:
        d.latest = latest.get(d.pk)


def is_overdue(deployment: Deployment, today: date) -> bool:
    return deployment.status == "open" and deployment.deadline < today
