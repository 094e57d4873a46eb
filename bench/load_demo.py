"""Benchmark: how long ``dangjian.demo.generator.generate`` takes to load each scale into a fresh database.

Each (scale, database) pair runs in its own child process, because Django reads its database
settings once per process: SQLite in a new temporary directory (DANGJIAN_VAR), and, when a
PostgreSQL URL is given (``--database-url`` or DATABASE_URL), a new database created with
psycopg on that server and dropped afterwards (unless ``--keep``).

    .venv/bin/python bench/load_demo.py --scale institute academy
    .venv/bin/python bench/load_demo.py --scale group --backend postgres \\
        --database-url postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SCALES = ("institute", "academy", "group")


def child(scale: str, seed: int) -> None:
    """Runs in the child process: migrate, load, print one JSON line of figures."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dangjian.core import context
    from dangjian.demo.generator import generate

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    t1 = time.perf_counter()
    with context.acting(channel="bench"):
        counts = generate(scale, seed)
    t2 = time.perf_counter()
    figures = {"vendor": connection.vendor, "migrate_s": t1 - t0, "load_s": t2 - t1, "counts": counts}
    print(json.dumps(figures))


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _admin(url: str):
    import psycopg

    return psycopg.connect(_with_database(url, "postgres"), autocommit=True)


def run(scale: str, seed: int, backend: str, pg_url: str, keep: bool) -> dict:
    env = {**os.environ, "DANGJIAN_PRODUCTION": "0"}
    var = tempfile.mkdtemp(prefix="dangjian-bench-")
    env["DANGJIAN_VAR"] = var
    dbname = ""
    if backend == "postgres":
        dbname = f"dangjian_bench_{scale}_{uuid.uuid4().hex[:8]}"
        with _admin(pg_url) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = _with_database(pg_url, dbname)
    else:
        env.pop("DATABASE_URL", None)
    try:
        cmd = [sys.executable, __file__, "--child", scale, "--seed", str(seed)]
        started = time.perf_counter()
        out = subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        result["process_s"] = time.perf_counter() - started
        if backend == "sqlite":
            result["db_mb"] = sum(f.stat().st_size for f in Path(var).glob("dangjian.sqlite3*")) / 2**20
        if keep and dbname:
            result["kept"] = env["DATABASE_URL"]
        return result
    finally:
        shutil.rmtree(var, ignore_errors=True)
        if dbname and not keep:
            with _admin(pg_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", nargs="+", choices=SCALES, default=["institute"])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database and print its URL")
    parser.add_argument("--child", metavar="SCALE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.seed)
        return
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    if "postgres" in backends and not args.database_url:
        if args.backend == "postgres":
            parser.error("PostgreSQL needs --database-url or DATABASE_URL")
        backends.remove("postgres")
    header = ("scale", "db", "people", "branches", "migrate s", "load s", "people/s")
    print("{:<10} {:<10} {:>8} {:>8} {:>9} {:>8} {:>9}".format(*header))
    for scale in args.scale:
        for backend in backends:
            r = run(scale, args.seed, backend, args.database_url, args.keep)
            c = r["counts"]
            rate = c["people"] / r["load_s"]
            line = f"{scale:<10} {r['vendor']:<10} {c['people']:>8,} {c['org_branch']:>8,} "
            line += f"{r['migrate_s']:>9.1f} {r['load_s']:>8.1f} {rate:>9,.0f}"
            if "db_mb" in r:
                line += f"   ({r['db_mb']:.0f} MB)"
            if "kept" in r:
                line += f"   kept: {r['kept']}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
