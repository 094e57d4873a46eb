"""Screening run pages: start, follow, counts per model and missing field; a run is its starter's (404 otherwise)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.health import runs, services
from dangjian.health.models import ScreeningResult, ScreeningRun
from dangjian.testing import make_member

from .screen_data import LOW, MEDIUM, screen

pytestmark = pytest.mark.django_db
YEAR = 2026


def start(client, user, year=YEAR):
    client.force_login(user)
    return client.post(reverse("health:runs"), {"year": year})


def test_starting_a_run_scores_everyone_in_scope_and_shows_the_counts(client, world):
    t, ho1 = world["t"], world["ho1"]
    screen(world["p1"], YEAR, LOW, ho1)
    screen(make_member(t.branch1, "王三"), YEAR, MEDIUM, ho1)
    response = start(client, ho1)
    run = ScreeningRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("health:run", args=[run.pk])
    assert run.status == "done" and run.started_by == ho1 and run.scope_label == "一支部"
    assert run.counts["people"] == 2 and run.counts["cvd"] == 2 and run.counts["follow_up"] == 1
    assert ScreeningResult.objects.filter(run=run, year=YEAR).count() == 2
    assert AuditEvent.objects.get(object_type="health.screeningrun", action="create").detail["status"] == "running"
    event = AuditEvent.objects.get(object_type="health.screeningrun", action="update")
    assert event.detail["counts"]["people"] == 2 and "cvd_percent" not in str(event.detail)
    page = client.get(response["Location"]).content.decode()
    assert 'id="run-done"' in page and "共评分 2 人" in page and "1 人需随访" in page
    assert "hx-get" not in page  # finished: no more polling
    assert "王三" not in page and "张一" not in page  # counts only, never people


def test_the_run_list_shows_only_the_officers_own_runs(client, world):
    screen(world["p1"], YEAR, LOW, world["ho1"])
    screen(world["p2"], YEAR, LOW, world["ho2"])
    start(client, world["ho2"])
    start(client, world["ho1"])
    page = client.get(reverse("health:runs")).content.decode()
    own = ScreeningRun.objects.get(started_by=world["ho1"])
    other = ScreeningRun.objects.get(started_by=world["ho2"])
    assert reverse("health:run", args=[own.pk]) in page
    assert reverse("health:run", args=[other.pk]) not in page
    assert 'name="year"' in page and "替换" in page


def test_withdrawn_consent_drops_the_result_on_the_next_run(client, world):
    ho1, p1 = world["ho1"], world["p1"]
    screen(p1, YEAR, LOW, ho1)
    start(client, ho1)
    assert ScreeningResult.objects.filter(person=p1, year=YEAR).exists()
    with context.acting(ho1):
        services.withdraw_consent(ho1, p1.pk, YEAR, date(2026, 2, 1))
    start(client, ho1)
    second = ScreeningRun.objects.order_by("-id").first()
    assert second.status == "done" and second.counts["people"] == 0
    assert not ScreeningResult.objects.filter(person=p1).exists()  # PIPL art. 15


def test_missing_inputs_are_counted_per_field_with_chinese_labels(client, world):
    t, ho1 = world["t"], world["ho1"]
    screen(world["p1"], YEAR, {k: v for k, v in LOW.items() if k not in ("waist_cm", "gastrin17_pmol_l")}, ho1)
    young = make_member(t.branch1, "年轻人", birth=date(1995, 1, 1))
    screen(young, YEAR, {k: v for k, v in LOW.items() if k != "waist_cm"}, ho1)
    response = start(client, ho1)
    run = ScreeningRun.objects.get()
    assert run.counts["missing"]["cvd"] == {"waist_cm": 2}
    assert run.counts["missing"]["gastric"] == {"gastrin17_pmol_l": 1, "age": 1}
    assert run.counts["cvd"] == 0 and run.counts["gastric"] == 0 and run.counts["apcs"] == 2
    page = client.get(response["Location"]).content.decode()
    assert "缺少腰围：2 人" in page
    assert "缺少胃泌素-17：1 人" in page
    assert "未满40岁，不适用：1 人" in page


def test_a_second_officers_run_touches_only_his_scope(client, world):
    ho1, ho2, p1, p2 = world["ho1"], world["ho2"], world["p1"], world["p2"]
    screen(p1, YEAR, LOW, ho1)
    screen(p2, YEAR, MEDIUM, ho2)
    start(client, ho1)
    first = ScreeningRun.objects.get(started_by=ho1)
    start(client, ho2)
    second = ScreeningRun.objects.get(started_by=ho2)
    assert second.counts["people"] == 1 and second.scope_label == "二支部"
    assert ScreeningResult.objects.get(person=p1).run == first  # untouched by ho2's run
    assert ScreeningResult.objects.get(person=p2).run == second


def test_another_officers_run_page_is_404(client, world):
    screen(world["p1"], YEAR, LOW, world["ho1"])
    start(client, world["ho1"])
    run = ScreeningRun.objects.get()
    client.force_login(world["ho2"])
    assert client.get(reverse("health:run", args=[run.pk])).status_code == 404
    client.force_login(world["ho_all"])  # a wider scope does not open someone else's run either
    assert client.get(reverse("health:run", args=[run.pk])).status_code == 404


@pytest.mark.parametrize("who", ["leader", "office", "sec1"])
def test_roles_without_health_values_get_404_on_run_pages(client, world, who):
    run = ScreeningRun.objects.create(year=YEAR, started_by=world[who], status="done")
    client.force_login(world[who])
    assert client.get(reverse("health:runs")).status_code == 404
    assert client.post(reverse("health:runs"), {"year": YEAR}).status_code == 404
    assert client.get(reverse("health:run", args=[run.pk])).status_code == 404
    assert ScreeningRun.objects.count() == 1


def test_a_run_already_going_is_a_form_error(client, world):
    ScreeningRun.objects.create(year=YEAR, started_by=world["ho1"])
    response = start(client, world["ho1"])
    assert response.status_code == 200
    assert "正在进行" in response.content.decode()
    assert ScreeningRun.objects.count() == 1


def test_a_year_out_of_range_is_a_form_error(client, world):
    response = start(client, world["ho1"], year=1990)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not ScreeningRun.objects.exists()


def test_a_running_run_polls_and_answers_htmx_with_the_fragment(client, world):
    run = ScreeningRun.objects.create(year=YEAR, started_by=world["ho1"])
    client.force_login(world["ho1"])
    url = reverse("health:run", args=[run.pk])
    page = client.get(url).content.decode()
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 2s"' in page and "进行中" in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="run-status"') and "<html" not in fragment


def test_a_failed_run_shows_its_error(client, world):
    run = ScreeningRun.objects.create(year=YEAR, started_by=world["ho1"], status="failed", error="筛查失败：KeyError")
    client.force_login(world["ho1"])
    page = client.get(reverse("health:run", args=[run.pk])).content.decode()
    assert "筛查失败：KeyError" in page and "hx-get" not in page


def test_the_page_links_to_the_follow_up_of_the_year(client, world):
    screen(world["p1"], YEAR, MEDIUM, world["ho1"])
    response = start(client, world["ho1"])
    page = client.get(response["Location"]).content.decode()
    assert f'href="{reverse("health:queue")}?year={YEAR}" id="queue-link"' in page


def test_the_run_list_does_not_grow_queries_with_runs(client, world):
    ho1 = world["ho1"]
    client.force_login(ho1)
    ScreeningRun.objects.create(year=YEAR, started_by=ho1, status="done", counts={"people": 1})
    client.get(reverse("health:runs"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("health:runs"))
    for _ in range(60):
        ScreeningRun.objects.create(year=YEAR, started_by=ho1, status="done", counts={"people": 1})
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("health:runs")).content.decode()
    assert len(many) == len(few)
    assert len(re.findall(r'<td><a href="/health/runs/\d+/">', page)) == 50  # one page


def test_start_run_service_refuses_a_second_concurrent_run(world):
    ScreeningRun.objects.create(year=YEAR, started_by=world["ho1"])
    with pytest.raises(Exception, match="正在进行"):
        runs.start_run(world["ho1"], YEAR)


def test_a_run_whose_worker_died_is_failed_by_the_reaper_and_a_new_one_can_start(world, settings):
    from datetime import timedelta

    from django.utils import timezone

    from dangjian.health.models import ScreeningRun
    from dangjian.jobs import services as jobs
    from dangjian.jobs.models import Job
    from dangjian.jobs.reaper import reap

    ho1 = world["ho1"]
    # A run whose worker was killed on its last attempt: still "running", its heartbeat an hour old.
    job = jobs.create(runs.KIND, runs.run_screening, ho1, retry=True)
    long_ago = timezone.now() - timedelta(hours=1)
    Job.objects.filter(pk=job.pk).update(
        status="running", attempts=settings.JOBS_MAX_ATTEMPTS, heartbeat_at=long_ago, started_at=long_ago
    )
    stuck = ScreeningRun.objects.create(year=2026, started_by=ho1, status="running", job=job)
    with context.acting(ho1), pytest.raises(ValidationError, match="正在进行"):
        runs.start_run(ho1, 2026)
    assert [j.pk for j in reap().failed] == [job.pk]
    stuck.refresh_from_db()
    assert stuck.status == "failed" and "处理进程中断" in stuck.error
    with context.acting(ho1):
        run = runs.start_run(ho1, 2026)
    assert run.pk != stuck.pk and run.status == "done"
    fresh = ScreeningRun.objects.create(year=2025, started_by=ho1, status="running")
    with context.acting(ho1), pytest.raises(ValidationError, match="正在进行"):
        runs.start_run(ho1, 2025)
    fresh.refresh_from_db()
    assert fresh.status == "running"


# A worker closes a connection left inside a transaction (close_old_connections): it needs committed data.
@pytest.mark.django_db(transaction=True)
def test_a_queued_run_waits_for_a_worker_which_runs_it_with_its_progress(client, world, settings):
    import io

    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_INLINE = False
    ho1 = world["ho1"]
    screen(world["p1"], YEAR, LOW, ho1)
    response = start(client, ho1)
    run = ScreeningRun.objects.select_related("job").get()
    assert run.status == "running" and run.job.status == "pending" and run.job.url == response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "排队中" in page and "hx-get" in page
    call_command("worker", batch=True, startup_delay=False, interval=0, verbosity=0, stdout=io.StringIO())
    run.refresh_from_db()
    run.job.refresh_from_db()
    assert run.status == "done" and run.counts["people"] == 1
    assert (run.job.status, run.job.total, run.job.attempts, run.job.kind) == ("done", 1, 1, "health.screening")
    assert run.job.message == "正在评分 1 份体检结果"
    assert 'id="run-done"' in client.get(response["Location"]).content.decode()
