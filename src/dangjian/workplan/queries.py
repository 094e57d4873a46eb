"""Reads the pages, the API and the documents share: a plan's items with their deployments and each deployment's
latest progress, in a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Prefetch, QuerySet

from .models import Deployment, PlanItem, ProgressReport


def latest_reports(deployment_ids: Iterable[int]) -> dict[int, ProgressReport]:
    """Each deployment's latest report (by quarter, then date). One query."""
    out: dict[int, ProgressReport] = {}
    rows = ProgressReport.objects.filter(deployment_id__in=list(deployment_ids)).order_by(
        "deployment_id", "-year", "-quarter", "-reported_on", "-pk"
    )
    for r in rows:
        out.setdefault(r.deployment_id, r)
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


def attach_latest(items: Iterable[PlanItem]) -> None:
    """Sets ``latest`` (the latest report, or None) on every shown deployment of ``items``. One query."""
    deps = [d for item in items for d in item.shown]
    latest = latest_reports(d.pk for d in deps)
    for d in deps:
        d.latest = latest.get(d.pk)


def is_overdue(deployment: Deployment, today: date) -> bool:
    return deployment.status == "open" and deployment.deadline < today
