"""Benchmark: a 100,000-row roster import against merely reading the file with openpyxl.

The target (DESIGN): the import, end to end, finishes within 60 s and within 2x
of reading the same file with openpyxl in read-only mode. The script builds its
own tree (~60 branches) in a fresh SQLite database under a temporary directory,
so it never touches var/ or a configured database.

    .venv/bin/python bench/roster_import.py [--rows 100000] [--keep]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文博宇浩然思远晨阳"


def setup_django(var_dir: str) -> None:
    os.environ["DANGJIAN_VAR"] = var_dir  # before settings are read: a fresh SQLite file in the temp dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dangjian.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_tree(general_branches: int = 6, branches_each: int = 10, departments: int = 30):
    """6 general branches x 10 branches, two groups per branch; 30 departments under the institute."""
    from dangjian.orgs.models import Department, Organization

    root = Organization.objects.add_root({"kind": "committee", "code": "B", "name": "基准所党委"})
    branches: list[tuple[str, list[str]]] = []
    for g in range(general_branches):
        general = Organization.objects.add_child(
            root, {"kind": "general_branch", "code": f"B{g:02d}", "name": f"第{g + 1}党总支"}
        )
        for b in range(branches_each):
            name = f"第{g + 1}总支第{b + 1}支部"
            branch = Organization.objects.add_child(
                general, {"kind": "branch", "code": f"B{g:02d}{b:02d}", "name": name}
            )
            groups = [f"{name}第{k + 1}党小组" for k in range(2)]
            for k, group in enumerate(groups):
                Organization.objects.add_child(branch, {"kind": "group", "code": f"B{g:02d}{b:02d}{k}", "name": group})
            branches.append((name, groups))
    institute = Department.objects.add_root({"code": "D", "name": "基准所", "kind": "institute"})
    names = []
    for d in range(departments):
        dept = Department.objects.add_child(institute, {"code": f"D{d:02d}", "name": f"第{d + 1}研究室"})
        names.append(dept.name)
    return branches, names


def make_rows(n: int, branches, departments) -> list[list]:
    from dangjian.idgen import make_id_number

    rnd = random.Random(20260101)
    rows = []
    start = date(1960, 1, 1)
    days = 14000
    for i in range(n):
        birth = start + timedelta(days=i % days)
        sex = "M" if rnd.random() < 0.55 else "F"
        political = rnd.choices(["中共党员", "中共预备党员", "共青团员", "群众"], [55, 5, 10, 30])[0]
        hire = birth + timedelta(days=365 * 23 + rnd.randrange(2000))
        row = [
            rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN),
            "男" if sex == "M" else "女",
            make_id_number(birth, sex, serial=i // days + 1),
            "汉族",
            rnd.choice(["博士研究生", "硕士研究生", "大学本科", "大学专科"]),
            f"1{rnd.randrange(3, 10)}{rnd.randrange(10**9):09d}",
            rnd.choice(departments),
            "研究员",
            rnd.choice(["工程师", "高级工程师", "研究员"]),
            rnd.choice(["在编", "合同"]),
            political,
            hire.isoformat(),
            None,
            None,
            None,
            None,
            None,
        ]
        if political in ("中共党员", "中共预备党员"):
            branch, groups = rnd.choice(branches)
            applied = birth + timedelta(days=365 * 20)
            admitted = applied + timedelta(days=400)
            converted = (admitted + timedelta(days=366)).isoformat() if political == "中共党员" else None
            row[12:17] = [branch, rnd.choice(groups), applied.isoformat(), admitted.isoformat(), converted]
        rows.append(row)
    return rows


def write_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    from dangjian.people.roster import COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(list(COLUMNS))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def time_openpyxl_read(data: bytes) -> tuple[float, int]:
    from openpyxl import load_workbook

    t0 = time.perf_counter()
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return time.perf_counter() - t0, count


def time_calamine_read(data: bytes) -> float:
    from dangjian.people.roster.reader import read_table

    t0 = time.perf_counter()
    read_table(data, "bench.xlsx")
    return time.perf_counter() - t0


def timed_import(data: bytes, filename: str):
    """import_roster, also measuring the share spent in audit.record_many."""
    from dangjian.audit import services as audit
    from dangjian.people.roster import import_roster

    spent = 0.0
    original = audit.record_many

    def record_many(entries):
        nonlocal spent
        t = time.perf_counter()
        try:
            return original(entries)
        finally:
            spent += time.perf_counter() - t

    audit.record_many = record_many
    try:
        t0 = time.perf_counter()
        report = import_roster(data, filename)
        elapsed = time.perf_counter() - t0
    finally:
        audit.record_many = original
    if not report.ok:
        for error in report.errors[:20]:
            print(" ", error)
        raise SystemExit(f"import failed with {len(report.errors)} errors")
    return report, elapsed, spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database directory")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="dangjian-bench-")
    try:
        setup_django(var_dir)
        from dangjian.audit.models import AuditEvent
        from dangjian.people.models import Membership, Person

        branches, departments = make_tree()
        print(f"tree: {len(branches)} branches, {len(departments)} departments; database in {var_dir}")
        t0 = time.perf_counter()
        rows = make_rows(args.rows, branches, departments)
        data = write_xlsx(rows)
        print(
            f"generated {args.rows} rows x {len(rows[0])} columns, {len(data) / 1e6:.1f} MB, "
            f"in {time.perf_counter() - t0:.1f} s"
        )

        read_s, count = time_openpyxl_read(data)
        print(f"(a) openpyxl read-only, all {count} rows:    {read_s:6.2f} s")
        print(f"    calamine read (the importer's reader):   {time_calamine_read(data):6.2f} s")

        report, import_s, audit_s = timed_import(data, "bench.xlsx")
        events = AuditEvent.objects.count()
        print(f"(b) import_roster end to end:                {import_s:6.2f} s")
        print(f"    of which audit.record_many, {events - 1} events: {audit_s:6.2f} s")
        print(f"    created {report.created} persons, {Membership.objects.count()} memberships")
        print(f"ratio (b)/(a): {import_s / read_s:.2f}   (targets: ratio <= 2.0 and (b) <= 60 s)")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process so far: {peak_mb:.0f} MB")

        again, again_s, _ = timed_import(data, "bench.xlsx")
        print(f"(c) re-import of the same file, {again.unchanged} unchanged: {again_s:6.2f} s")

        next_branch = {name: branches[(i + 1) % len(branches)] for i, (name, _) in enumerate(branches)}
        for i, row in enumerate(rows):
            row[5] = f"139{i:08d}"  # every phone changes
            if row[12] and i % 10 == 0:  # a tenth of the members move to another branch
                branch, groups = next_branch[row[12]]
                row[12], row[13] = branch, groups[0]
        changed, changed_s, changed_audit_s = timed_import(write_xlsx(rows), "bench-changed.xlsx")
        print(
            f"(d) {changed.updated} persons updated, {changed.memberships_changed} memberships changed: "
            f"{changed_s:6.2f} s (audit {changed_audit_s:.2f} s)"
        )
        assert Person.objects.count() == args.rows

        from dangjian.people.roster import export_roster, import_roster

        t0 = time.perf_counter()
        exported = export_roster(Person.objects.all())
        export_s = time.perf_counter() - t0
        print(f"(e) export_roster of {args.rows} persons: {export_s:6.2f} s, {len(exported) / 1e6:.1f} MB")
        round_trip = import_roster(exported, "export.xlsx", dry_run=True)
        changes = (round_trip.created, round_trip.updated, round_trip.memberships_changed)
        print(f"    export -> import (dry run): created/updated/memberships changed = {changes}")
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
