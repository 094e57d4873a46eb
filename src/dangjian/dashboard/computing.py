"""A dashboard whose figures are not in the shared cache is computed by a background job, not inside the GET.

A cold dashboard takes 0.3-0.5 s on an institute and up to 5 s for a group's whole tree (bench/dashboard.py), so
the page that finds nothing cached starts a job (``dangjian.jobs``: the worker runs it; inline in tests, where the
page then shows the figures at once) and shows its progress until the figures are there. ``dangjian
dashboard-warm`` run from cron keeps the landing dashboards computed, so most requests never see this.

One job serves everyone who opens the same dashboard meanwhile: a job still pending or running for the same cache
key is reused, not started again. The job writes nothing but the cache, so a job whose worker died is run again;
it removes the dashboard jobs finished a day before.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from django.apps import apps
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangjian.jobs import services as jobs
from dangjian.jobs.models import Job
from dangjian.jobs.services import job_handler
from dangjian.orgs.models import Organization

from . import charts

KIND = "dashboard.compute"
ACTIVE = (Job.Status.PENDING, Job.Status.RUNNING)
# A finished dashboard job leaves nothing worth keeping once its figures are cached: the rows of those finished
# longer ago than this are removed by the next one (opening dashboards nobody warmed adds rows all day long).
KEEP_FINISHED = timedelta(days=1)


def figures(
    user, org: Organization, year: int, children: Sequence[Organization]
) -> tuple[charts.Values | None, Job | None]:
    """The dashboard's values when they are cached; otherwise ``(None, job)`` with the job computing them (started
    now, or the one already at it)."""
    organizations = [org, *children]
    key = charts.cache_key(organizations, year)
    found = charts.shared_cache().get(key)
    if found is not None:
        return found, None
    job = Job.objects.filter(kind=KIND, status__in=ACTIVE, params__key=key).order_by("created_at").first()
    if job is None:
        params = {
            "key": key,
            "year": year,
            "organizations": [o.pk for o in organizations],
            "language": translation.get_language(),
        }
        job = jobs.start(KIND, compute_dashboard, user, organization=org, retry=True, params=params)
    if job.status == Job.Status.DONE:  # run before ``start`` returned (tests), or just finished by the worker
        found = charts.shared_cache().get(key)
        if found is not None:
            return found, None
    return None, job


def _app_name(label: str) -> str:
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def forget_finished(now=None) -> int:
    """Remove the dashboard jobs finished longer ago than ``KEEP_FINISHED``, with their queue rows."""
    from django_tasks_db.models import DBTaskResult

    old = Job.objects.filter(kind=KIND, finished_at__lt=(now or timezone.now()) - KEEP_FINISHED)
    tasks = [t for t in old.values_list("task_result_id", flat=True) if _is_uuid(t)]  # inline runs have other ids
    DBTaskResult.objects.filter(pk__in=tasks).delete()
    return old.delete()[0]


@job_handler()
def compute_dashboard(job: Job) -> None:
    forget_finished()
    params = job.params
    by_pk = Organization.objects.in_bulk(params["organizations"])
    organizations = [by_pk[pk] for pk in params["organizations"] if pk in by_pk]
    with translation.override(params["language"]):

        def progress(done: int, total: int, app: str) -> None:
            job.progress(done, total, _("正在汇总：%(part)s") % {"part": _app_name(app)})

        values = charts.compute(organizations, params["year"], progress=progress)
        # the key of the request, not one made again here: the organisations are the ones its user saw
        charts.shared_cache().set(params["key"], values, charts.cache_seconds())
