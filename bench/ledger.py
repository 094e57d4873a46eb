"""Benchmark: the ledger (台账) — one branch's .docx (target ≤5 s) and PDF (≤15 s), and a committee's every branch in
one job with its progress (target: 60 branches).

Runs against the database in ``DATABASE_URL`` (a loaded demo: ``dangjian demo --scale institute`` — or academy,
group, for more branches), with the job inline (as the worker runs it) and files in a temporary media folder:

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/ledger.py [--branches 60] [--no-pdf]

Prints the branch's timings, then the committee job's: how many branches, the time to each tenth of them (from the
job's progress) and the whole, PDF included.

Measured 2026-12-06, institute demo, the branch of 46 memberships (load average 7-8 on 2 cores): after the table
writer copies formatted rows instead of formatting each cell, the .docx takes 1.1-1.2 s of CPU (3.5-3.9 s before)
and 2.2-3.2 s wall on SQLite; on PostgreSQL the .docx 3.9 s and the PDF 12.8 s (95 pages), and the committee job of
60 branches 306 s (114 s for the .docx files, the rest for the PDFs in one LibreOffice run; 572 s before).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=0, help="default: this year")
    parser.add_argument("--branches", type=int, default=60, help="the committee job's branches (at most)")
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.core import context
    from dangjian.jobs.models import Job
    from dangjian.ledger import assemble, pdf, runs
    from dangjian.orgs.models import Organization

    settings.TASKS_INLINE = True
    settings.JOBS_HEARTBEAT_SECONDS = 0  # the heartbeat thread writes on its own connection: SQLite would lock
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-ledger-")
    settings.LEDGER_PDF = not args.no_pdf
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # a freshly loaded copy has no statistics: the plans need them
    year = args.year or timezone.localdate().year
    office = User.objects.filter(username="office").first() or User.objects.filter(is_superuser=True).first()

    branch = Organization.objects.filter(kind="branch").annotate(n=Count("memberships")).order_by("-n", "path").first()
    from dangjian.core import paper
    from dangjian.core.contributions import Period, document_providers

    for provider in document_providers():
        t0 = time.perf_counter()
        provider.render(branch, Period.year(year), paper.new_document())
        list(provider.gaps(branch, Period.year(year)))
        print(f"  {provider.key}: {time.perf_counter() - t0:.2f} s (render and gaps)")
    t0 = time.perf_counter()
    document = assemble.assemble(branch, year, attachments=assemble.attachments(branch, year))
    body = assemble.to_bytes(document)
    docx_s = time.perf_counter() - t0
    print(f"branch {branch.name} ({branch.n} memberships): .docx {docx_s:.2f} s, {len(body) // 1024} KiB")
    if not args.no_pdf:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "ledger.docx"
            source.write_bytes(body)
            t0 = time.perf_counter()
            (out,) = pdf.convert([source], Path(tmp))
            pdf_s = time.perf_counter() - t0
            print(f"branch PDF (LibreOffice headless): {pdf_s:.2f} s, {out.stat().st_size // 1024} KiB")

    # the committee job: the committee whose subtree holds the most branches up to --branches
    committees = Organization.objects.filter(kind__in=("committee", "general_branch")).order_by("path")
    best = None
    for org in committees:
        n = len(runs.branches_of(org, year))
        if n <= args.branches and (best is None or n > best[1]):
            best = (org, n)
    committee, n = best
    marks: list[tuple[float, int, str]] = []
    original = Job.progress
    t0 = time.perf_counter()

    def spy(self, done, total, message=""):
        marks.append((time.perf_counter() - t0, done, message))
        original(self, done, total, message)

    Job.progress = spy
    try:
        with transaction.atomic(), context.acting(office):
            run = runs.start(office, committee, year, "committee")
            if run.job.status == Job.Status.PENDING:  # a queue backend: run it here, as the worker would
                from dangjian.jobs.services import run as run_job

                run_job(run.job_id)
            total_s = time.perf_counter() - t0
            run.refresh_from_db()
            status = run.job.status
            transaction.set_rollback(True)
    finally:
        Job.progress = original
    print(f"committee {committee.name}: {n} branches in one job, {total_s:.1f} s in all (PDF: {not args.no_pdf})")
    step = max(1, n // 10)
    for at, done, message in marks:
        if done and (done % step == 0 or done >= n):
            print(f"  {at:6.1f} s  {done}/{n + 1}  {message}")
    print(f"  status {status}, {run.branches} branches, pdf_error={run.pdf_error!r}")


if __name__ == "__main__":
    main()
