"""Transfer facts for the assessment: transfers still open, members who have lost contact, and the share of the
period's transfers finished within the letter's validity, per subtree.

The first two are the state on the day they are computed (open cases are not kept as history): read them for the
current year. The on-time rate reads each transfer's deadline and closing date, so any period has one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import as_of, fact, link, percent, pks, rollup, set_wise, under
from dangjian.rules import services as rule_store

from .models import LostContact, TrackingStatus, Transfer, TransferStatus
from .models.transfer import OPEN_STATUSES
from .rule_data import EFFECTIVE_2019, TRANSFER_RULES
from .rules import VALIDITY_MONTHS, letter_valid_until, remove_years, suspend_months

LOST = (TrackingStatus.TRACKING, TrackingStatus.SUSPENDED)


def _lost_contact_rule() -> str:
    """第24条 with the months and years of the rules in force today, read when the text is shown."""
    today = timezone.localdate()
    return gettext(
        "《中国共产党党员教育管理工作条例》第二十四条：失去联系满%(months)d个月停止党籍，停止党籍满%(years)d年按自行脱党除名"
    ) % {"months": suspend_months(today), "years": remove_years(today)}


def _on_time_rule() -> str:
    """The letter's validity in force today (本单位设置, the deadline this rate reads), read when the text is shown."""
    months = rule_store.table(TRANSFER_RULES).value(VALIDITY_MONTHS, max(timezone.localdate(), EFFECTIVE_2019))
    return gettext(
        "本单位设置：组织关系介绍信有效期%(months)d个月，在有效期内办结为按时（条例未规定转接时限）；"
        "《中国共产党党员教育管理工作条例》第二十五条：接收前原党组织继续负责"
    ) % {"months": months}


def deadline(valid_until: date | None, requested_on: date, table) -> date:
    """The day a transfer must be finished by: its letter's last valid day; for a letter not yet issued, the last
    day a letter issued on the request's day would be valid (a request left unsent runs out of time as well)."""
    return valid_until or letter_valid_until(requested_on, table)


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
        FactDefinition(
            key="transfers.on_time_rate",
            label=_("组织关系转接按时办结率"),
            unit="%",
            meaning=_(
                "转出或转入党组织在本组织及其下级组织中、期限在期间内的组织关系转接（不含已撤销的）中，"
                "在期限当日或之前被接收的件数所占比例。期限：介绍信有效期的最后一日；尚未开具介绍信的，"
                "按申请日开具计算。被拒收、介绍信过期或逾期未办结的计为未按时；期限未到且未办结的暂不计入。"
            ),
            rule=lazy(_on_time_rule, str)(),
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
        table = rule_store.table(TRANSFER_RULES)  # read once: the deadlines and the months shown
        timely = rollup(organizations, self._timeliness(organizations, period, table))
        months = table.value(VALIDITY_MONTHS, max(as_of(period), EFFECTIVE_2019))
        pending = rollup(organizations, (((r["from_path"], r["to_path"]), {r["status"]: r["n"]}) for r in transfers))
        missing = rollup(organizations, ((r["path"], {r["status"]: r["n"]}) for r in lost))
        transfer_list, lost_list = link("transfers:list"), link("transfers:lost_list")
        for pk in pks(organizations):
            p, m, o = pending[pk], missing[pk], timely[pk]
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
            due, in_time = o.get("due", 0), o.get("in_time", 0)
            yield fact(
                key="transfers.on_time_rate",
                organization_id=pk,
                value=percent(in_time, due),
                inputs={"due": due, "in_time": in_time, "not_in_time": due - in_time, "validity_months": months},
                evidence_url=f"{transfer_list}{pk}",
            )

    @staticmethod
    def _timeliness(
        organizations: Sequence, period: Period, table
    ) -> list[tuple[tuple[str | None, ...], dict[str, int]]]:
        """(from path, to path) → due and in-time counts of the transfers whose deadline lies in the period.

        One query for the transfers (their deadlines are a few dates each, judged here with the rule store's
        validity, ``table``). Due: the deadline has come (``as_of``), or the transfer is closed
        already (received early, or rejected or expired before it); in time: received on or before the deadline.
        """
        day = as_of(period)
        rows = (
            Transfer.objects.filter(under(organizations, "from_org__path") | under(organizations, "to_org__path"))
            .exclude(status=TransferStatus.CANCELLED)
            .filter(
                Q(valid_until__range=(period.start, period.end))
                | Q(valid_until__isnull=True, requested_on__lte=period.end)
            )
            .order_by()
            .values_list("status", "requested_on", "valid_until", "closed_on", "from_org__path", "to_org__path")
        )
        counts: dict[tuple[str | None, ...], dict[str, int]] = defaultdict(lambda: {"due": 0, "in_time": 0})
        for status, requested_on, valid_until, closed_on, from_path, to_path in rows:
            until = deadline(valid_until, requested_on, table)
            if not period.start <= until <= period.end or (status in OPEN_STATUSES and until > day):
                continue
            c = counts[(from_path, to_path)]
            c["due"] += 1
            if status == TransferStatus.RECEIVED and closed_on is not None and closed_on <= until:
                c["in_time"] += 1
        return list(counts.items())
