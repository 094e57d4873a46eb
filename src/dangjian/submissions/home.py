"""What waits on a home page, and the reminders of answers due.

- The committee office (``submissions.answer``): the requests and reports sent to the organisations it answers for
  and not yet answered — requests past their deadline first, then by deadline, reports last.
- The sender (``submissions.change``): its submissions returned and not yet sent again, and the answers that
  arrived in the last N days (rule ``submissions.answer.shown_days``, 30 by default).

The office is reminded of requests due within N days (rule ``submissions.request.remind_days``, 3 by default).
Both are read from the rule store for the organisation where the user holds the role (the widest, if several):
an override set for a subtree applies to the users who work there.

A constant number of queries per call: the first few of each kind and their count, with a summary line for the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.roles import roles_with
from dangjian.accounts.scope import assignments_of, has_perm
from dangjian.core.contributions import HomeItem, Notification, listed
from dangjian.rules import services as rule_store

from .models import PENDING, Kind, Status
from .queries import ANSWER, CHANGE, answerable_q, received_by, visible
from .rule_data import RECENT_DAYS, REMIND_DAYS, SUBMISSION_RULES

KIND_TODO = gettext_lazy("待办请示报告")
KIND_ANSWERS = gettext_lazy("请示报告答复")
SHOWN = 5
ORDER = 45


def setting(user, perm: str, key: str, today: date) -> int:
    """The rule ``key`` in force today for the organisation where ``user`` holds ``perm`` (the one nearest the
    root when several: its override covers the others), the institute's value without one."""
    roles = roles_with(perm)
    places = [a.organization for a in assignments_of(user) if a.role in roles and a.organization_id is not None]
    org = min(places, key=lambda o: (len(o.path), o.path)) if places else None
    return int(rule_store.table(SUBMISSION_RULES, org).value(key, today))


def _waiting(user):
    return (
        received_by(user)
        .filter(status__in=PENDING)
        .select_related("organization")
        .order_by(F("deadline").asc(nulls_last=True), "sent_at", "pk")
    )


def _office_items(user, today: date) -> list[HomeItem]:
    waiting = _waiting(user)
    rows = list(waiting[:SHOWN])
    if not rows:
        return []
    total = len(rows) if len(rows) < SHOWN else waiting.count()
    more = reverse("submissions:list") + "?box=received&year=&status=pending&sort=deadline"
    items = []
    for s in rows:
        late = s.deadline is not None and s.deadline < today
        if s.kind == Kind.REQUEST:
            pattern = _("%(org)s：%(t)s（%(d)s前答复，已超期）") if late else _("%(org)s：%(t)s（%(d)s前答复）")
        else:
            pattern = _("%(org)s：%(t)s（待阅）")
        items.append(
            HomeItem(
                "late" if late else ("due" if s.kind == Kind.REQUEST else "info"),
                KIND_TODO,
                pattern % {"org": s.organization.name, "t": s.title, "d": s.deadline.isoformat() if s.deadline else ""},
                reverse("submissions:detail", args=[s.pk]),
                "submissions",
                due=s.deadline,
                more=more,
                order=ORDER,
            )
        )
    return listed(items, total, text=gettext_lazy("另有%(n)d件请示报告待办理"), level="due")


def _sender_items(user, today: date) -> list[HomeItem]:
    mine = visible(user, CHANGE).filter(Q(drafted_by_id=user.pk) | ~answerable_q(user))
    since = today - timedelta(days=setting(user, CHANGE, RECENT_DAYS, today))
    arrived = mine.filter(
        Q(status=Status.RETURNED, resubmissions__isnull=True)
        | Q(status__in=(Status.APPROVED, Status.READ), answered_at__date__gte=since)
    ).order_by("-answered_at", "-pk")
    rows = list(arrived[:SHOWN])
    if not rows:
        return []
    total = len(rows) if len(rows) < SHOWN else arrived.count()
    more = reverse("submissions:list") + "?box=sent"
    items = []
    for s in rows:
        returned = s.status == Status.RETURNED
        pattern = _("%(t)s：被退回，请修改后重新报送") if returned else _("%(t)s：%(d)s")
        items.append(
            HomeItem(
                "due" if returned else "info",
                KIND_ANSWERS,
                pattern % {"t": s.title, "d": s.get_status_display()},
                reverse("submissions:detail", args=[s.pk]),
                "submissions",
                more=more,
                order=ORDER,
            )
        )
    return listed(items, total, text=gettext_lazy("另有%(n)d件请示报告已答复"), level="info")


def home_items(user, today: date) -> list[HomeItem]:
    out: list[HomeItem] = []
    if has_perm(user, ANSWER):
        out += _office_items(user, today)
    if has_perm(user, CHANGE):
        out += _sender_items(user, today)
    return out


def notifications(today: date) -> Iterator[Notification]:
    """One reminder per office user with requests to answer that are overdue or due within the days of the rule
    ``submissions.request.remind_days``."""
    from dangjian.accounts.models import User
    from dangjian.accounts.roles import roles_with

    users = (
        User.objects.filter(is_active=True, assignments__role__in=roles_with(ANSWER), assignments__revoked_at=None)
        .distinct()
        .order_by("pk")
    )
    for user in users:
        soon = today + timedelta(days=setting(user, ANSWER, REMIND_DAYS, today))
        due = list(
            received_by(user)
            .filter(kind=Kind.REQUEST, status__in=PENDING, deadline__lte=soon)
            .select_related("organization")
            .order_by("deadline", "pk")
        )
        if not due:
            continue
        late = sum(1 for s in due if s.deadline < today)
        yield Notification(
            user.pk,
            _("请示待答复：%(n)d 件（其中超期 %(late)d 件）") % {"n": len(due), "late": late},
            tuple(
                _("- %(org)s：%(t)s（%(no)s，%(d)s前答复）")
                % {"org": s.organization.name, "t": s.title, "no": s.document_number, "d": s.deadline.isoformat()}
                for s in due
            ),
        )
