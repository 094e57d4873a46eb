"""What 示范岗 and 责任区 add to the home page and the menu (wired by the app's ``contrib.py``).

- the committee office: the post applications awaiting approval;
- a branch (whoever maintains it): zones missing their last finished period's report, and from 1 December the
  posts with a plate not yet reviewed this year;
- a member: their own zones' reports due for the last finished period.

A constant number of queries per call: each kind is one query for the first few rows and, only when there are
more, one count.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm
from dangjian.core.contributions import HomeItem

from . import periods
from .models import ModelPost, ModelPostStatus, ResponsibilityZone
from .posts import CHANGE, MANAGE, VIEW
from .zones import missing_last_report

SOURCE = "integration"
ORDER = 60
SHOWN = 5
APPROVAL_KIND = gettext_lazy("示范岗待审批")
ZONE_KIND = gettext_lazy("责任区履责报告")
REVIEW_KIND = gettext_lazy("示范岗年度评议")
OWN_KIND = gettext_lazy("我的责任区")
REVIEW_FROM = (12, 1)  # the yearly review falls due in December


def home_items(user, today: date) -> list[HomeItem]:
    if not has_perm(user, VIEW):
        return []
    items: list[HomeItem] = []
    if has_perm(user, MANAGE):
        items += _awaiting_approval(user)
    if has_perm(user, CHANGE):
        items += _zones_missing(user, today)
        if (today.month, today.day) >= REVIEW_FROM:
            items += _posts_to_review(user, today)
    if user.person_id:
        items += _own_zones(user, today)
    return items


def _first(qs: QuerySet) -> tuple[list, int]:
    rows = list(qs[: SHOWN + 1])
    total = len(rows) if len(rows) <= SHOWN else qs.count()
    return rows[:SHOWN], total


def _tail(kind, total: int, shown: int, more: str, level: str) -> list[HomeItem]:
    if total <= shown:
        return []
    text = _("另有 %(n)d 项") % {"n": total - shown}
    return [HomeItem(level, kind, text, more, SOURCE, count=total - shown, more=more, order=ORDER)]  # type: ignore[arg-type]


def _awaiting_approval(user) -> list[HomeItem]:
    qs = (
        ModelPost.objects.visible_to(user, MANAGE)
        .filter(status=ModelPostStatus.APPLIED)
        .select_related("organization")
        .order_by("created_at", "pk")
    )
    rows, total = _first(qs)
    more = reverse("integration:post_list") + "?status=applied"
    out = [
        HomeItem(
            "due",
            APPROVAL_KIND,
            _("%(org)s申请“%(name)s”") % {"org": p.organization.name, "name": p.name},
            reverse("integration:post_detail", args=[p.pk]),
            SOURCE,
            more=more,
            order=ORDER,
        )
        for p in rows
    ]
    return out + _tail(APPROVAL_KIND, total, len(rows), more, "due")


def _zones_missing(user, today: date) -> list[HomeItem]:
    qs = missing_last_report(ResponsibilityZone.objects.visible_to(user, CHANGE), today)
    rows, total = _first(qs.select_related("organization", "member").order_by("organization__path", "pk"))
    more = reverse("integration:zone_list") + "?status=missing"
    out = []
    for z in rows:
        values = {"org": z.organization.name, "zone": z.name, "member": z.member.name}
        values["period"] = periods.last_finished(today, z.report_every)
        text = _("%(org)s：%(member)s的责任区“%(zone)s”%(period)s未报告履责情况") % values
        out.append(
            HomeItem(
                "late", ZONE_KIND, text, reverse("integration:zone_detail", args=[z.pk]), SOURCE, more=more, order=ORDER
            )
        )
    return out + _tail(ZONE_KIND, total, len(rows), more, "late")


def _posts_to_review(user, today: date) -> list[HomeItem]:
    qs = (
        ModelPost.objects.visible_to(user, CHANGE)
        .filter(status=ModelPostStatus.APPROVED, starts_on__lte=today)
        .exclude(reviews__year=today.year)
        .select_related("organization")
        .order_by("organization__path", "pk")
    )
    rows, total = _first(qs)
    more = reverse("integration:post_list") + "?status=approved"
    due = date(today.year, 12, 31)
    out = [
        HomeItem(
            "due",
            REVIEW_KIND,
            _("%(org)s：“%(name)s”%(year)d年度尚未评议")
            % {"org": p.organization.name, "name": p.name, "year": today.year},
            reverse("integration:post_review", args=[p.pk]),
            SOURCE,
            due,
            more=more,
            order=ORDER,
        )
        for p in rows
    ]
    return out + _tail(REVIEW_KIND, total, len(rows), more, "due")


def _own_zones(user, today: date) -> list[HomeItem]:
    qs = missing_last_report(ResponsibilityZone.objects.filter(member_id=user.person_id), today).order_by("pk")
    rows = list(qs[: SHOWN + 1])[:SHOWN]
    out = []
    for z in rows:
        period = periods.last_finished(today, z.report_every)
        text = _("责任区“%(zone)s”%(period)s的履责报告待提交") % {"zone": z.name, "period": period}
        link = reverse("integration:zone_report", args=[z.pk])
        out.append(HomeItem("due", OWN_KIND, text, link, SOURCE, more=reverse("integration:zone_list"), order=ORDER))
    return out
