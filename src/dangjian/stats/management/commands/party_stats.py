"""``dangjian party-stats --year YEAR [--organization CODE] --json``: the annual in-party statistics (党内统计年报)
as JSON, for scripts; without an organisation the whole tree."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.orgs.models import Organization
from dangjian.stats.compute import compute, subtree_of


class Command(BaseCommand):
    help = "党内统计年报：按年度（截至12月31日）输出各统计表及两年对比平衡情况"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--organization", default="", help="组织代码；不填则统计整个组织树")
        parser.add_argument("--json", action="store_true", help="只输出JSON")

    def handle(self, *args, year: int, organization: str, json: bool, **options) -> None:
        if not 1949 <= year <= 9998:
            raise CommandError(_("年度不正确"))
        orgs = None
        if organization:
            org = Organization.objects.filter(code=organization).first()
            if org is None:
                raise CommandError(_("组织代码不存在：%(code)s") % {"code": organization})
            orgs = [org]
        stats = compute(subtree_of(orgs), year)
        data = stats.as_json()
        if json:
            self.stdout.write(_dumps(data))
            return
        for table in data["tables"]:
            self.stdout.write(f"{table['code']} {table['title']}")
            for row in table["rows"]:
                cells = "  ".join(f"{k} {'' if v is None else v}" for k, v in row["cells"].items())
                self.stdout.write(f"  {row['label']}: {cells}")
        b = data["balance"]
        self.stdout.write(
            f"上年底 {b['last_year']} + 增加 {b['increases']} − 减少 {b['decreases']} = 本年底 {b['this_year']}："
            + ("平衡" if b["balanced"] else "不平衡")
        )
        for item in stats.balance.imbalances:
            self.stdout.write(f"  {item.name}：{'；'.join(item.reasons)}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
