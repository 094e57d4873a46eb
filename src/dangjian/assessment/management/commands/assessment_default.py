"""Install the shipped indicator system for research-institute branches (``dangjian assessment-default``).

Idempotent: once installed (in any version), running it again changes nothing and says so."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dangjian.assessment import services
from dangjian.core import context


class Command(BaseCommand):
    help = "安装并发布默认的党支部党建工作责任制考核指标体系（已安装则不变）"

    def handle(self, *args, **options):
        with context.acting(None, channel="cli"):
            try:
                system, created = services.install_default()
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
        leaves = system.indicators.exclude(method="").count()
        if created:
            self.stdout.write(f"已安装并发布“{system}”，共 {leaves} 个评分项")
        else:
            self.stdout.write(f"“{system}”已存在（{system.get_status_display()}），未作修改")
