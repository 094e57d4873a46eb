"""A cold dashboard is computed by a background job, not inside the GET: the page shows the job's progress, one job
serves everyone opening the same dashboard meanwhile, the page reloads once the figures are there, and the progress
of another organisation's dashboard is 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from dangjian.dashboard import charts, computing
from dangjian.jobs import services as jobs
from dangjian.jobs.models import Job
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db

INDEX = reverse("dashboard:index")


@pytest.fixture
def world():
    t = make_tree()
    for n in range(3):
        make_member(t.branch1, f"甲{n}", department=t.dept1)
    office = make_user("office", "office", t.root)
    secretary = make_user("sec2", "secretary", t.branch2)
    return t, office, secretary


@pytest.fixture
def no_worker(settings):
    """Jobs queued for a worker that has not reached them yet, as in a deployment (tests otherwise run them at once);
    ``jobs.run`` is the worker's turn."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_INLINE = False


def test_a_cold_dashboard_starts_one_job_and_shows_its_progress(client, world, no_worker):
    t, office, _ = world
    client.force_login(office)
    response = client.get(INDEX, {"org": t.root.pk})
    assert response.status_code == 200
    assert response.context["charts"] == []
    job = Job.objects.get(kind=computing.KIND)
    assert job.status == Job.Status.PENDING and job.organization == t.root and job.owner == office
    html = response.content.decode()
    assert "正在汇总图表数据" in html and 'id="dash-computing"' in html
    assert reverse("dashboard:progress", args=[job.pk]) in html  # the page polls the job

    # opened again (or by another user of the same scope) while the job waits: no second job
    again = client.get(INDEX, {"org": t.root.pk})
    assert again.context["job"].pk == job.pk and Job.objects.filter(kind=computing.KIND).count() == 1
    # the printable page and the big screen reload themselves instead of polling with a script
    for name in ("print", "screen"):
        page = client.get(reverse(f"dashboard:{name}"), {"org": t.root.pk}).content.decode()
        assert '<meta http-equiv="refresh" content="3">' in page and "正在汇总图表数据" in page
    assert Job.objects.filter(kind=computing.KIND).count() == 1

    progress = client.get(reverse("dashboard:progress", args=[job.pk]))
    assert progress.status_code == 200 and "正在汇总图表数据" in progress.content.decode()
    assert "HX-Refresh" not in progress

    assert "后台任务进程可能正忙或未运行" not in progress.content.decode()
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=45))
    # no worker has taken it for long: the page says so, for someone to start one
    assert "后台任务进程可能正忙或未运行" in client.get(reverse("dashboard:progress", args=[job.pk])).content.decode()
    # queued again after a lost worker's last beat: counted from then
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=5))
    assert (
        "后台任务进程可能正忙或未运行" not in client.get(reverse("dashboard:progress", args=[job.pk])).content.decode()
    )

    jobs.run(job.pk)  # the worker's turn
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.total > 0 and job.done == job.total - 1
    done = client.get(reverse("dashboard:progress", args=[job.pk]))
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    shown = client.get(INDEX, {"org": t.root.pk})
    assert shown.context["job"] is None and shown.context["charts"]
    ages = next(c for c in shown.context["chart_data"] if c["id"] == "age")
    assert sum(sum(s["data"]) for s in ages["series"]) == 3
    assert Job.objects.filter(kind=computing.KIND).count() == 1


def test_the_job_keeps_the_figures_under_the_requests_key_and_language(client, world, no_worker):
    t, office, _ = world
    client.force_login(office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's choice
    client.get(INDEX, {"org": t.branch1.pk})
    job = Job.objects.get(kind=computing.KIND)
    assert job.params["language"] == "en" and job.params["organizations"][0] == t.branch1.pk
    jobs.run(job.pk)
    kept = charts.kept(job.params["key"])
    assert kept is not None and ("people.members", t.branch1.pk) in kept.values
    assert ":en:" in job.params["key"]  # the cache is per language: the figures' labels are the requester's
    assert client.get(INDEX, {"org": t.branch1.pk}).context["job"] is None


def test_a_failed_job_says_why_and_is_not_started_again_until_asked(client, world, no_worker):
    t, office, _ = world
    client.force_login(office)
    client.get(INDEX, {"org": t.root.pk})
    job = Job.objects.get(kind=computing.KIND)
    jobs.fail(job, "数据库不可用")
    html = client.get(reverse("dashboard:progress", args=[job.pk])).content.decode()
    assert "图表数据汇总失败" in html and "数据库不可用" in html and "hx-get" not in html
    assert f"?org={t.root.pk}&amp;year=" in html and "retry=1" in html
    # the printable page and the big screen reload themselves: they show the failure, not a new job each time
    for name in ("index", "print", "screen"):
        page = client.get(reverse(f"dashboard:{name}"), {"org": t.root.pk}).content.decode()
        assert "数据库不可用" in page and 'http-equiv="refresh"' not in page
    assert Job.objects.filter(kind=computing.KIND).count() == 1
    # 重试 starts one
    retried = client.get(INDEX, {"org": t.root.pk, "retry": "1"})
    assert retried.context["job"].status == Job.Status.PENDING
    assert Job.objects.filter(kind=computing.KIND, status=Job.Status.PENDING).count() == 1
    # a failure older than a few minutes is not shown any more: the next visit tries again
    jobs.fail(retried.context["job"], "数据库不可用")
    long_ago = timezone.now() - computing.SHOW_FAILED - timedelta(seconds=1)
    Job.objects.filter(kind=computing.KIND).update(finished_at=long_ago)
    assert client.get(INDEX, {"org": t.root.pk}).context["job"].status == Job.Status.PENDING
    assert Job.objects.filter(kind=computing.KIND).count() == 3


def test_figures_warmed_while_the_job_waits_reload_the_page(client, world, no_worker):
    t, office, _ = world
    client.force_login(office)
    client.get(INDEX, {"org": t.root.pk})
    job = Job.objects.get(kind=computing.KIND)
    charts.warm_many([t.root], job.params["year"])  # cron's dashboard-warm came first
    done = client.get(reverse("dashboard:progress", args=[job.pk]))
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    jobs.run(job.pk)  # the worker then finds them there and computes nothing
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.total == 0


def test_a_job_whose_figures_the_cache_dropped_fails_with_the_reason(client, world, no_worker, monkeypatch):
    t, office, _ = world
    client.force_login(office)
    client.get(INDEX, {"org": t.root.pk})
    job = Job.objects.get(kind=computing.KIND)
    monkeypatch.setattr(caches["shared"], "set", lambda *args, **kwargs: None)  # as Django's database cache on an error
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "未能存入共享缓存" in job.error
    html = client.get(reverse("dashboard:progress", args=[job.pk])).content.decode()
    assert "未能存入共享缓存" in html and "hx-get" not in html


def test_with_nothing_kept_the_figures_are_computed_in_the_request(client, world, no_worker, settings):
    t, office, _ = world
    settings.DASHBOARD_CACHE_SECONDS = 0
    client.force_login(office)
    response = client.get(INDEX, {"org": t.root.pk})
    assert response.context["job"] is None and response.context["charts"] and not Job.objects.exists()


def test_another_organisations_progress_is_404(client, world, no_worker):
    t, office, secretary = world
    client.force_login(office)
    client.get(INDEX, {"org": t.branch1.pk})
    job = Job.objects.get(kind=computing.KIND)
    client.force_login(secretary)
    assert client.get(reverse("dashboard:progress", args=[job.pk])).status_code == 404
    client.force_login(office)
    assert client.get(reverse("dashboard:progress", args=[job.pk])).status_code == 200


def test_a_warm_dashboard_starts_no_job(client, world):
    t, office, _ = world
    charts.warm_many([t.root], charts.timezone.localdate().year)
    client.force_login(office)
    response = client.get(INDEX, {"org": t.root.pk})
    assert response.context["charts"] and not Job.objects.exists()


def test_with_the_worker_inline_the_first_request_shows_the_figures(client, world):
    t, office, _ = world
    client.force_login(office)
    response = client.get(INDEX, {"org": t.root.pk})
    assert response.context["job"] is None and response.context["charts"]
    assert Job.objects.get(kind=computing.KIND).status == Job.Status.DONE


def test_finished_dashboard_jobs_are_removed_after_a_day_with_their_queue_rows(client, world, no_worker):
    from django_tasks_db.models import DBTaskResult

    t, office, _ = world
    client.force_login(office)
    client.get(INDEX, {"org": t.root.pk})
    old = Job.objects.get(kind=computing.KIND)
    jobs.run(old.pk)
    other = jobs.start("other.kind", "dangjian.jobs.tests.handlers.count", office)
    jobs.run(other.pk)
    Job.objects.filter(pk__in=[old.pk, other.pk]).update(finished_at=timezone.now() - timedelta(days=2))
    assert DBTaskResult.objects.filter(pk=old.task_result_id).exists()
    caches["shared"].clear()
    client.get(INDEX, {"org": t.root.pk})
    jobs.run(Job.objects.get(kind=computing.KIND, status=Job.Status.PENDING).pk)  # the next dashboard job
    assert not Job.objects.filter(pk=old.pk).exists()
    assert not DBTaskResult.objects.filter(pk=old.task_result_id).exists()
    assert Job.objects.filter(pk=other.pk).exists()  # other kinds keep their rows
    assert DBTaskResult.objects.filter(pk=other.task_result_id).exists()
    assert Job.objects.filter(kind=computing.KIND).count() == 1


def test_the_page_says_when_its_figures_were_computed_and_can_have_them_computed_again(client, world, no_worker):
    t, office, secretary = world
    charts.warm_many([t.root], charts.timezone.localdate().year)
    client.force_login(office)
    html = client.get(INDEX, {"org": t.root.pk}).content.decode()
    computed = charts.kept(charts.cache_key([t.root, t.general, t.office_branch], charts.timezone.localdate().year))
    assert computed is not None
    at = charts.timezone.localtime(computed.computed_at).strftime("%Y-%m-%d %H:%M")
    assert f"数据更新于 {at}（每 5 分钟更新）" in html and "立即更新" in html
    assert f"数据更新于 {at}" in client.get(reverse("dashboard:print"), {"org": t.root.pk}).content.decode()

    make_member(t.branch2, "新党员", department=t.dept2)  # recorded after the figures were kept
    url = reverse("dashboard:refresh", args=[t.root.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"year": str(charts.timezone.localdate().year)})
    assert response.status_code == 302 and response["Location"].endswith(
        f"?org={t.root.pk}&year={charts.timezone.localdate().year}"
    )
    page = client.get(response["Location"])
    assert page.context["job"] is not None and not page.context["charts"]  # computed afresh, as a job
    jobs.run(page.context["job"].pk)
    ages = next(c for c in client.get(response["Location"]).context["chart_data"] if c["id"] == "age")
    assert sum(sum(s["data"]) for s in ages["series"]) == 4

    client.force_login(secretary)  # another branch's secretary: the committee's dashboard is not theirs
    assert client.post(url).status_code == 404
