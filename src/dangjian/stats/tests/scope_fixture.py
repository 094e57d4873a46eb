"""The generic scope test's values for the statistics pages: branch1's report of this year, and one of its cells
(T2 党员总数, 合计: branch1's member is behind it)."""

from __future__ import annotations

from django.utils import timezone

VALUES = {"table": "T2", "row": "total", "col": "total"}


def object_for(world, name: str, param: str):
    t = world[0]
    if param == "org_pk":
        return t.branch1.pk
    if param == "year":
        return timezone.localdate().year
    return VALUES[param]
