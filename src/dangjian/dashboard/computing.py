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

import logging
from collections.abc import Sequence
from datetime import timedelta

from django.apps import apps
from django.db import DatabaseError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangjian.jobs import services as jobs
from dangjian.jobs.models import Job
from dangjian.jobs.services import job_handler
from dangjian.orgs.models import Organization

from . import charts

logger = logging.getLogger(__name__)
KIND = "dashboard.compute"
ACTIVE = (Job.Status.PENDING, Job.Status.RUNNING)
# A finished dashboard job leaves nothing worth keeping once its figures are cached: the rows of those finished
# longer ago than this are removed by the next one (opening dashboards nobody warmed adds rows all day long).
KEEP_FINISHED = timedelta(days=1)
# A job that failed on a dashboard this recently is shown (with its reason and a retry) rather than started again:
# the printable page and the big screen reload themselves, and would otherwise start a job every few seconds.
SHOW_FAILED = timedelta(minutes=5)


def figures(
    user, org: Organization, year: int, children: Sequence[Organization], *, retry: bool = False
) -> tuple[charts.Kept | None, Job | None]:
    """The dashboard's values (and when they were computed) when they are cached; otherwise ``(None, job)`` with
    the job computing them (started now, or the one already at it), or the job that failed on them in the last
    ``SHOW_FAILED`` unless ``retry`` (the page says why instead of starting one job after another)."""
    organizations = [org, *children]
    if charts.cache_seconds() <= 0:  # nothing is kept: a job's result would be lost, so compute here as asked
        return charts.Kept(charts.compute(organizations, year), timezone.now()), None
    key = charts.cache_key(organizations, year)
    found = charts.kept(key)
    if found is not None:
        return found, None
    mine = Job.objects.filter(kind=KIND, params__key=key)
    job = mine.filter(status__in=ACTIVE).order_by("created_at").first()
    if job is None and not retry:
        since = timezone.now() - SHOW_FAILED
        job = mine.filter(status=Job.Status.FAILED, finished_at__gte=since).order_by("-finished_at").first()
    if job is None:
        params = {
            "key": key,
            "year": year,
            "organizations": [o.pk for o in organizations],
            "language": translation.get_language(),
        }
        job = jobs.start(KIND, compute_dashboard, user, organization=org, retry=True, params=params)
    if job.status == Job.Status.DONE:  # run before ``start`` returned (tests), or just finished by the worker
        found = charts.kept(key)
        if found is not None:
            return found, None
    return None, job


def ready(job: Job) -> bool:
    """Whether the page can show the figures: they are in the cache (its job is done, or another put them there)."""
    return charts.kept(job.params.get("key", "")) is not None


def _app_name(label: str) -> str:
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


def forget_finished(now=None) -> int:
    """Remove the dashboard jobs finished longer ago than ``KEEP_FINISHED``, with their queue rows."""
    return jobs.forget(Job.objects.filter(kind=KIND, finished_at__lt=(now or timezone.now()) - KEEP_FINISHED))


@job_handler()
def compute_dashboard(job: Job) -> None:
    params = job.params
    if charts.kept(params["key"]) is None:  # ``dashboard-warm`` or another job may have put the figures there meanwhile
        by_pk = Organization.objects.in_bulk(params["organizations"])
        organizations = [by_pk[pk] for pk in params["organizations"] if pk in by_pk]
        with translation.override(params["language"]):

            def progress(done: int, total: int, app: str) -> None:
                job.progress(done, total, _("正在汇总：%(part)s") % {"part": _app_name(app)})

            values = charts.compute(organizations, params["year"], progress=progress)
            # the key of the request, not one made again here: the organisations are the ones its user saw
            charts.keep(params["key"], values)
        if charts.kept(params["key"]) is None:
            # Django's database cache drops a write that fails (e.g. SQLite busy) without a word: a job "done" with
            # nothing kept would have its page reload into a new job, again and again
            jobs.fail(job, _("图表数据未能存入共享缓存，请稍后重试；如反复出现，请检查缓存设置（CACHES）。"))
            return
    try:
        forget_finished()
    except DatabaseError:  # tidying up must not fail the figures; the next job tries again
        logger.warning("removing finished dashboard jobs failed", exc_info=True)
