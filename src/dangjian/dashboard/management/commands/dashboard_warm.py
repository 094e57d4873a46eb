"""``dangjian dashboard-warm [--year Y] [--all]``: compute the dashboards' values ahead of the first request.

Run it from cron more often than ``DASHBOARD_CACHE_SECONDS`` (e.g. every 4 minutes with the default 300 s), beside
``notify-due``. The values go to the ``shared`` cache, the database's, which the web server's workers read.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangjian.dashboard import charts


class Command(BaseCommand):
    help = "预先计算仪表盘的数据（各顶层组织、党委及看板用户所在组织），使首次打开即可快速显示"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, default=0, help="年度（默认今年）")
        parser.add_argument("--all", action="store_true", help="所有组织（默认：顶层组织、党委及看板用户所在组织）")

    def handle(self, *args, year: int, all: bool, **options) -> None:  # noqa: A002 (the option's name)
        year = year or timezone.localdate().year
        t0 = time.perf_counter()
        # the cache key carries the language the page is requested in: the site's own
        with translation.override(settings.LANGUAGE_CODE):
            orgs = charts.landing_organizations(everything=all)
            n = charts.warm_many(orgs, year)
        if "LocMemCache" in settings.CACHES["shared"]["BACKEND"]:
            # the memory cache is this process's own: the web server's workers keep computing on their first request
            self.stdout.write(
                _("注意：当前缓存为进程内存缓存，网站进程读不到本次计算的结果；请配置共享缓存（CACHES）。")
            )
        self.stdout.write(
            _("已预先计算 %(year)s 年 %(n)s 个组织的仪表盘数据，用时 %(s).1f 秒，保留 %(keep)s 秒。")
            % {"year": year, "n": n, "s": time.perf_counter() - t0, "keep": charts.cache_seconds()}
        )
