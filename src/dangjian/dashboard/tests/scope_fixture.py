"""The generic scope test's objects for the dashboard pages (tests/test_scope_generic.py ``_from_app``): a job still
computing branch1's dashboard for its progress page, and branch1 for 立即更新."""

from __future__ import annotations

from dangjian.dashboard import computing
from dangjian.jobs.models import Job


def _job(world):
    t, p1, p2, sec1, sec2, job1 = world
    job = Job.objects.filter(kind=computing.KIND, organization=t.branch1).first()
    if job is None:
        job = Job.objects.create(
            kind=computing.KIND, handler="", owner=sec1, organization=t.branch1, params={"key": "scope-test"}
        )
    return job.pk


def object_for(world, name: str, param: str):
    if name == "progress" and param == "pk":
        return _job(world)
    if name == "refresh" and param == "pk":
        return world[0].branch1.pk
    raise AssertionError(f"the scope test cannot fill {param} of dashboard:{name}; teach it")
