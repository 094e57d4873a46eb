"""The year's figures of the plan (同考核), one definition for the facts, the summary document and the pages.

A deployment *counts for year Y* when its deadline lies in Y and it is not cancelled (nor deleted). Of those:
*completed* when done on or before the reading day (the year's last day, or today while the year runs), and *on
time* when done on or before its deadline.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q, QuerySet

from dangjian.facts.rollup import percent

from .models import Deployment, DeploymentStatus


def counted(deployments: QuerySet[Deployment], year: int) -> QuerySet[Deployment]:
    return deployments.filter(deadline__year=year).exclude(status=DeploymentStatus.CANCELLED)


def done_q(as_of: date) -> Q:
    return Q(status=DeploymentStatus.DONE, completed_on__lte=as_of)


def on_time_q(as_of: date) -> Q:
    return done_q(as_of) & Q(completed_on__lte=F("deadline"))


def counts(deployments: QuerySet[Deployment], year: int, as_of: date) -> dict[str, int]:
    """deployments, done, on_time and overdue (open, or done after the reading day, past the deadline). One query."""
    return counted(deployments, year).aggregate(
        deployments=Count("pk"),
        done=Count("pk", filter=done_q(as_of)),
        on_time=Count("pk", filter=on_time_q(as_of)),
        overdue=Count("pk", filter=~done_q(as_of) & Q(deadline__lt=as_of)),
    )


def rates(c: dict[str, int]) -> dict[str, float | None]:
    return {"completion": percent(c["done"], c["deployments"]), "on_time": percent(c["on_time"], c["deployments"])}
