"""Values for the generic scope test (tests/test_scope_generic.py): objects of branch1.

Every health page answers 404 to secretaries (they have no "health.values"), in and out of scope alike.
"""

from __future__ import annotations


def object_for(world, name: str, param: str):
    from dangjian.accounts.models import User

    from ..models import ColumnMapping

    t, p1, p2, sec1, sec2, job1 = world
    if name in ("person", "person_export", "consent") and param == "pk":
        return p1.pk
    if name == "mapping_edit" and param == "pk":
        owner = User.objects.order_by("pk").first()
        return ColumnMapping.objects.get_or_create(name="scope", defaults={"created_by": owner})[0].pk
    if name == "run" and param == "pk":  # a run belongs to its starter: everyone else gets 404
        from ..models import ScreeningRun

        return ScreeningRun.objects.create(year=2026, started_by=sec1, status="done").pk
    if name in ("import_job", "import_confirm") and param == "pk":  # a job belongs to its uploader
        from ..models import CheckupImportJob

        return CheckupImportJob.objects.create(user=sec1, year=2026, filename="c.xlsx", key_id="k").pk
    if name.startswith("follow_up") and param in ("person_id", "year"):
        return p1.pk if param == "person_id" else 2026
    raise AssertionError(f"the scope test cannot fill {param} of health:{name}; teach it")
