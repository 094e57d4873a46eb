"""Dues facts for the assessment: members in arrears and the share of members whose last month is paid."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import counted_by_org, fact, link, percent, pks, rollup, set_wise, within
from dangjian.people.models import Membership

from .arrears import arrears_months, arrears_queryset, window
from .models import DuesPayment, DuesRelief, PaymentKind, ReliefKind, ReliefStatus
from .months import add_months


def read_on(period: Period) -> date:
    """The day the dues state is read: the first day after the period (its last month is then complete), or today."""
    return min(period.end + timedelta(days=1), timezone.localdate())


def _months_text(message: str) -> str:
    """``message`` translated, with the months of the arrears rule in force on the day it is shown (第31条: 6).
    Each call site names its message in a ``gettext_noop`` so the catalogue finds it."""
    return gettext(message) % {"n": arrears_months(timezone.localdate())}


_lazy_months = lazy(_months_text, str)


class DuesFacts:
    definitions = (
        FactDefinition(
            key="dues.arrears_members",
            label=_lazy_months(gettext_noop("连续%(n)d个月未交党费的党员")),
            unit=_("人"),
            meaning=_lazy_months(
                gettext_noop(
                    "本组织及其下级组织的现有党员中，截至统计月（期间最后一个完整月份）连续%(n)d个月及以上没有交纳党费、"
                    "也没有经批准免交的人数。与“党费欠缴”页面一致。"
                )
            ),
            rule=_lazy_months(
                gettext_noop("《中国共产党党员教育管理工作条例》第三十一条：连续%(n)d个月不交纳党费，按自行脱党处理")
            ),
        ),
        FactDefinition(
            key="dues.paid_rate",
            label=_("党费按月交纳率"),
            unit="%",
            meaning=_(
                "本组织及其下级组织在统计月（期间最后一个完整月份）应交党费的现有党员中，有交纳记录覆盖该月"
                "或经批准免交该月的人数所占比例。"
            ),
            rule=_("《关于中国共产党党费收缴、使用和管理的规定》：党员应按月交纳党费"),
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        on = read_on(period)
        _first, last, months = window(on)
        # members whose party rights are stopped (停止党籍) owe nothing and are not counted
        members = Membership.objects.current().without_rights_stopped(last).filter(within(organizations))
        arrears = arrears_queryset(members, on).order_by().values(org=F("organization")).annotate(n=Count("id"))
        paid = DuesPayment.objects.filter(
            account__person_id=OuterRef("person_id"), kind=PaymentKind.REGULAR, month_from__lte=last, month_to__gte=last
        )
        waived = DuesRelief.objects.filter(
            account__person_id=OuterRef("person_id"),
            kind=ReliefKind.WAIVE,
            status=ReliefStatus.APPROVED,
            month_from__lte=last,
            month_to__gte=last,
        )
        owing = (
            members.filter(admitted_on__lt=add_months(last, 1))
            .order_by()
            .values(org=F("organization"))
            .annotate(owing=Count("id"), paid=Count("id", filter=Q(Exists(paid)) | Q(Exists(waived))))
        )
        in_arrears = rollup(organizations, counted_by_org(arrears, organizations))
        rates = rollup(organizations, counted_by_org(owing, organizations))
        year = period.end.year
        arrears_list, summary = link("dues:arrears"), link("dues:summary", period="year", year=year)
        month = f"{last:%Y-%m}"  # formatted once per call, not once per value
        arrears_inputs = {"month": month, "consecutive_months": months}  # the same for every organisation
        for pk in pks(organizations):
            r = rates[pk]
            yield fact(
                key="dues.arrears_members",
                organization_id=pk,
                value=in_arrears[pk].get("n", 0),
                inputs=arrears_inputs,
                evidence_url=f"{arrears_list}{pk}",
            )
            yield fact(
                key="dues.paid_rate",
                organization_id=pk,
                value=percent(r.get("paid", 0), r.get("owing", 0)),
                inputs={"month": month, "owing": r.get("owing", 0), "paid": r.get("paid", 0)},
                evidence_url=f"{summary}{pk}",
            )
