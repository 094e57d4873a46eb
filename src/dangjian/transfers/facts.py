"""Transfer facts for the assessment: transfers still open and members who have lost contact, per subtree.

Both are the state on the day they are computed (open cases are not kept as history): read them for the current
year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Count, F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import fact, link, pks, rollup, set_wise, under

from .models import LostContact, TrackingStatus, Transfer
from .models.transfer import OPEN_STATUSES
from .rules import remove_years, suspend_months

LOST = (TrackingStatus.TRACKING, TrackingStatus.SUSPENDED)


def _lost_contact_rule() -> str:
    """第24条 with the months and years of the rules in force today, read when the text is shown."""
    today = timezone.localdate()
    return gettext(
        "《中国共产党党员教育管理工作条例》第二十四条：失去联系满%(months)d个月停止党籍，停止党籍满%(years)d年按自行脱党除名"
    ) % {"months": suspend_months(today), "years": remove_years(today)}


class TransferFacts:
    definitions = (
        FactDefinition(
            key="transfers.pending",
            label=_("未办结的组织关系转接"),
            unit=_("件"),
            meaning=_(
                "转出或转入党组织在本组织及其下级组织中、状态为“待发出”或“已发出，待接收”的组织关系转接件数（现状）。"
                "与“组织关系转接”列表按组织和状态筛选的结果一致。"
            ),
            rule=_("《中国共产党党员教育管理工作条例》第二十五条：党员组织关系转接，原党组织在接收前仍负责"),
            dimension="status",
            breakdown_labels={s.value: s.label for s in OPEN_STATUSES},
        ),
        FactDefinition(
            key="transfers.lost_contact",
            label=_("失去联系的党员"),
            unit=_("人"),
            meaning=_("本组织及其下级组织登记为“查找联系中”或“已停止党籍”的失联党员人数（现状）。"),
            rule=lazy(_lost_contact_rule, str)(),
            dimension="status",
            breakdown_labels={s.value: s.label for s in LOST},
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        transfers = (
            Transfer.objects.filter(
                under(organizations, "from_org__path") | under(organizations, "to_org__path"), status__in=OPEN_STATUSES
            )
            .order_by()
            .values("status", from_path=F("from_org__path"), to_path=F("to_org__path"))
            .annotate(n=Count("id"))
        )
        lost = (
            LostContact.objects.filter(under(organizations, "branch__path"), status__in=LOST)
            .order_by()
            .values("status", path=F("branch__path"))
            .annotate(n=Count("id"))
        )
        pending = rollup(organizations, (((r["from_path"], r["to_path"]), {r["status"]: r["n"]}) for r in transfers))
        missing = rollup(organizations, ((r["path"], {r["status"]: r["n"]}) for r in lost))
        transfer_list, lost_list = link("transfers:list"), link("transfers:lost_list")
        for pk in pks(organizations):
            p, m = pending[pk], missing[pk]
            yield fact(
                key="transfers.pending",
                organization_id=pk,
                value=sum(p.values()),
                breakdown={s.value: p.get(s.value, 0) for s in OPEN_STATUSES},
                evidence_url=f"{transfer_list}{pk}",
            )
            yield fact(
                key="transfers.lost_contact",
                organization_id=pk,
                value=sum(m.values()),
                breakdown={s.value: m.get(s.value, 0) for s in LOST},
                evidence_url=f"{lost_list}{pk}",
            )
