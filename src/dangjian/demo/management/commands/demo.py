"""``dangjian demo --scale institute|academy|group [--seed N] [--date YYYY-MM-DD] [--if-empty]``.

The demo is dated from the day it is loaded (``--date`` names another day, e.g. to reproduce a demo): this month's
meetings under way, the sitting committees in office.

``make run`` calls it with ``--if-empty`` on every start, so a database that already has an
organisation tree (demo or real) is never touched twice; only the demo accounts that still have the
published password get it re-issued, so the 90-day password and idle rules count from this start.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from dangjian.core import context
from dangjian.demo.accounts import refresh_demo_accounts
from dangjian.demo.generator import SCALES, DemoRefused, generate
from dangjian.orgs.models import Organization
from dangjian.people.home import headcount
from dangjian.people.models import Employment, Person

_LABELS = {
    "people": "职工",
    "retirees": "其中退休",
    "members": "正式党员",
    "probationary": "预备党员",
    "organizations": "党组织",
    "org_branch": "其中党支部",
    "departments": "行政部门",
    "terms": "委员会届次",
    "users": "演示账号",
}


class Command(BaseCommand):
    help = "装入确定性的演示数据（虚构的研究所/研究院/集团），并创建演示账号。仅用于演示和测试环境。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=SCALES, default="institute", help="规模")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同数据）")
        parser.add_argument(
            "--date", dest="on", type=_day, default=None, help="基准日 YYYY-MM-DD（默认今天，日期都从这天推算）"
        )
        parser.add_argument("--if-empty", action="store_true", help="已有党组织时什么也不做")

    def handle(self, *args, scale: str, seed: int, if_empty: bool, on: date | None = None, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(_("生产模式下禁止装入演示数据：演示账号使用公开的密码，只可用于演示和测试环境。"))
        if if_empty and Organization.objects.exists():
            self.stdout.write("数据库中已有党组织，跳过演示数据。")
            with context.acting(channel="cli"):
                refreshed = refresh_demo_accounts()
            if refreshed:
                self.stdout.write(f"演示账号的密码有效期与空闲期从现在重新计算：{'、'.join(refreshed)}")
            return
        started = time.perf_counter()
        try:
            with context.acting(channel="cli"):
                counts = generate(scale, seed, on=on)
        except DemoRefused as exc:
            raise CommandError(str(exc)) from None
        _analyze()
        seconds = time.perf_counter() - started
        summary = "，".join(f"{label} {n:,}" for label, n in figures(counts))
        done = f"已装入演示数据（规模 {scale}，种子 {seed}，用时 {seconds:.1f} 秒）"
        self.stdout.write(self.style.SUCCESS(done))
        self.stdout.write(summary)
        self.stdout.write("运行 dangjian logins 查看演示账号。")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"基准日应为 YYYY-MM-DD 格式的日期：{value}") from None


def figures(counts: dict[str, int]) -> list[tuple[str, int]]:
    """The summary printed after loading: the people figures counted in the database as the home page counts them
    (``people.home.headcount``: after every app's demo rows, today), the structure as the generator made it."""
    db = headcount(Person.objects.all())
    db["retirees"] = Person.objects.filter(employment=Employment.RETIRED).count()
    return [(label, db[key] if key in db else counts.get(key, 0)) for key, label in _LABELS.items()]


def _analyze() -> None:
    """PostgreSQL's planner statistics for the tables just filled, as autovacuum would gather them a while later:
    until then it estimates one row a table and picks nested loops that make a branch's study hours take seconds
    instead of a tenth of one (the ledger's 学习培训 part: 6.6 s before, 0.1 s after on the institute demo)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
