"""The secretary's due list on the home page: open and late obligations of the organisations they maintain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import has_perm, scope_for
from dangjian.core.contributions import HomeItem, Notification
from dangjian.orgs.models import Organization
from dangjian.rules import services as rule_store

from . import engine, lapsed, lights
from .obligations import overlapping
from .periods import YEAR, Period

PERM = "meetings.change"
# The home page is not the place for a whole-tree list (the heat map is): beyond this many organisations
# in the user's scope the due list stays empty, and the panel is not shown.
MAX_ORGS = 300
MAX_ITEMS = 30
_RANK = {lights.OVERDUE: 0, lights.DUE_SOON: 1, lights.NOT_DUE: 2}


@dataclass(frozen=True)
class DueItem:
    organization_id: int
    organization_name: str
    rule_title: str
    period: Period
    light: str
    light_label: str
    message: str
    days: int  # days left (open items) or days overdue (late items)
    url: str

    @property
    def is_late(self) -> bool:
        return self.light == lights.OVERDUE


def due_items(user, today: date, *, limit: int = MAX_ITEMS) -> list[DueItem]:
    """Open items (the period running today, not yet done) and late ones (overdue, or minutes not recorded
    in time) of the organisations in the user's ``meetings.change`` scope, most urgent first:
    late items by days overdue (longest first), then open items by days left (fewest first).

    Late items stay on the list for ``late_window_days`` (a rule-table setting) after their period ended.
    A constant number of queries (scope, organisations, settings, rules, the matrix).
    """
    if not has_perm(user, PERM):
        return []
    scope = scope_for(user, PERM)
    if not (scope.everything or scope.has_orgs):
        return []
    rules = overlapping(rule_store.book(), date(today.year - 1, 1, 1), date(today.year, 12, 31))
    kinds = {r.org_kind for r in rules if r.active}
    orgs = list(
        Organization.objects.visible_to(user, PERM)
        .filter(kind__in=kinds)
        .active(today)
        .order_by("path")
        .values_list("pk", "name")[: MAX_ORGS + 1]
    )
    if not orgs or len(orgs) > MAX_ORGS:
        return []
    names = dict(orgs)
    matrix = engine.compute(Organization.objects.filter(pk__in=names), [today.year - 1, today.year], today, rules=rules)
    window = matrix.settings["late_window_days"]
    minutes_days = matrix.settings["minutes_days"]
    out: list[tuple[tuple, DueItem]] = []
    # Once per organisation and per rule, not per item: reverse() and a choice's display label cost more than
    # the rest of the loop together (a branch's two years are some 140 items on every home page).
    org_urls = {pk: reverse("compliance:org", args=[pk]) for pk in names}
    kind_labels = {pk: str(rule.get_meeting_kind_display()) for pk, rule in matrix.rules.items()}
    for item in matrix.items:
        period = item.period
        if period.start > today:
            continue
        rule = matrix.rules[item.rule_id]
        kind_label = kind_labels[item.rule_id]
        late_enough = (today - period.end).days <= window
        url = f"{org_urls[item.org_id]}?year={period.year}#m{period.end_month}"
        if item.light in _RANK and (item.light != lights.OVERDUE or late_enough):
            days = (today - period.end).days if item.light == lights.OVERDUE else (period.end - today).days
            due = DueItem(
                item.org_id,
                names[item.org_id],
                rule.title,
                period,
                item.light,
                lights.LIGHT_LABELS[item.light],
                matrix.message(item),
                days,
                url,
            )
            out.append((_urgency(item.light, days), due))
        if item.minutes_missing and late_enough:
            text = lights.minutes_message(
                period=period, kind_label=kind_label, count=item.minutes_missing, minutes_days=minutes_days, today=today
            )
            due = DueItem(
                item.org_id,
                names[item.org_id],
                rule.title,
                period,
                lights.OVERDUE,
                "记录逾期",
                text,
                max((today - period.end).days, 0),
                url,
            )
            out.append((_urgency(lights.OVERDUE, due.days), due))
    out.extend(_talk_items(names, today, matrix.settings["due_soon_days"], window))
    out.sort(key=lambda pair: pair[0])
    return [due for _, due in out[:limit]]


def _talk_items(names: dict[int, str], today: date, soon_days: int, window: int) -> list[tuple[tuple, DueItem]]:
    """Talk coverage as an obligation: every member talked with as often as the rule table asks (RULES.md §1, S).

    The running year is open until 31 December; last year's gaps stay on the list as late for the late window.
    One grouped query per year shown.
    """
    from dangjian.people.models import Membership
    from dangjian.talks.figures import talk_coverage
    from dangjian.talks.rule_data import TALKS_RULES

    years = [today.year] + ([today.year - 1] if (today - date(today.year - 1, 12, 31)).days <= window else [])
    # 停止党籍 (党员教育管理工作条例 第24条): a member whose rights are stopped is not owed a talk by the branch.
    memberships = Membership.objects.current().without_rights_stopped(today).filter(organization_id__in=names)
    out = []
    for year in years:
        period = Period(YEAR, year, 1)
        rule = rule_store.table(TALKS_RULES).rule("talks.min_per_member_per_year", period.end)
        for row in talk_coverage(memberships, year, rule.value):
            if not row["missing"]:
                continue
            if year < today.year:
                light, days = lights.OVERDUE, (today - period.end).days
                text = f"{year}年尚有{row['missing']}名党员未开展谈心谈话（已逾期{days}天）"
            else:
                days = (period.end - today).days
                light = lights.DUE_SOON if days <= soon_days else lights.NOT_DUE
                text = f"{year}年尚有{row['missing']}名党员未开展谈心谈话，剩余{days}天"
            item = DueItem(
                row["organization_id"],
                names[row["organization_id"]],
                f"谈心谈话（{rule.citation}）",
                period,
                light,
                lights.LIGHT_LABELS[light],
                text,
                days,
                reverse("life:talks") + f"?year={year}",
            )
            out.append((_urgency(light, days), item))
    return out


def _urgency(light: str, days: int) -> tuple[int, int]:
    return (_RANK[light], -days if light == lights.OVERDUE else days)


KIND = gettext_lazy("组织生活待办")
ORDER = 10
_LEVELS = {lights.OVERDUE: "late", lights.DUE_SOON: "due", lights.NOT_DUE: "info"}


def home_items(user, today: date) -> list[HomeItem]:
    """Every due item in the one home shape, most urgent first (the page shows the first few and the count)."""
    more = reverse("compliance:heatmap")
    return [
        HomeItem(
            _LEVELS.get(d.light, "info"),
            KIND,
            f"{d.organization_name}：{d.message}",
            d.url,
            "compliance",
            d.period.end,
            more=more,
            order=ORDER,
        )
        for d in due_items(user, today, limit=MAX_ORGS * 50)
    ]


def all_home_items(user, today: date) -> list[HomeItem]:
    """The due items, then the members to consider for 除名 on the organisational-life ground (``lapsed``)."""
    return [*home_items(user, today), *lapsed.home_items(user, today)]


def notifications(today: date) -> Iterator[Notification]:
    """One reminder per user who maintains organisations with items due or late (sent by ``notify-due``)."""
    from dangjian.accounts.models import User

    for user in User.objects.filter(is_active=True).order_by("pk"):
        items = due_items(user, today)
        if not items:
            continue
        late = sum(1 for i in items if i.is_late)
        yield Notification(
            user.pk,
            f"组织生活待办：{len(items)} 项（其中逾期 {late} 项）",
            tuple(f"- {i.organization_name}：{i.message}" for i in items),
        )
