"""The generic scope test's objects for the ledger pages (tests/test_scope_generic.py ``_from_app``): branch1 for the
organisation pages (its checklist, summary and generate button), and a finished run of branch1's ledger with a .docx
in the storage for the run page and its download."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dangjian.ledger.models import LedgerRun


def _run(world) -> int:
    t, p1, p2, sec1, sec2, job1 = world
    run = LedgerRun.objects.filter(organization=t.branch1).first()
    if run is None:
        run = LedgerRun.objects.create(organization=t.branch1, year=2026, started_by=sec1)
        run.docx = default_storage.save(f"ledger/{run.pk}/T011-2026.docx", ContentFile(b"PK"))
        run.save(update_fields=["docx"])
    return run.pk


def object_for(world, name: str, param: str):
    t = world[0]
    if name in ("organization", "generate", "summary") and param == "pk":
        return t.branch1.pk
    if name in ("run", "download") and param == "pk":
        return _run(world)
    if name == "download" and param == "fmt":
        return "docx"
    raise AssertionError(f"the scope test cannot fill {param} of ledger:{name}; teach it")
