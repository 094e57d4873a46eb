from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone

from dangjian.accounts.scope import assignments_of, has_perm

from . import mine
from .contributions import HomeItem, SummaryCard, contributions

# Lines shown under each kind's heading; the rest are counted and linked (the app's own list page). A kind
# with at most SHOWN + SLACK lines shows them all: "还有 1 项" would take the line it hides.
SHOWN = 5
SLACK = 2


@dataclass(frozen=True)
class HomeGroup:
    kind: str
    items: list[HomeItem]
    total: int
    late: int
    more: str
    at_least: bool = False  # a provider stopped counting: the total is a lower bound
    # a record (the member's own figures, an applicant's timeline) is not counted as things to do
    counted: bool = True

    @property
    def rest(self) -> int:
        return self.total - sum(i.count for i in self.items)


def group_items(items: list[HomeItem], shown: int = SHOWN) -> list[HomeGroup]:
    """One group per kind, in the kinds' declared order: its count (summary lines count for what they stand
    for), how many of them are late, the first ``shown`` lines (late first) and the link to the full list."""
    kinds: dict[str, list[HomeItem]] = {}
    records = {str(kind) for kind in mine.RECORD_KINDS}  # in the request's language, as the items' kinds
    for item in items:
        kinds.setdefault(str(item.kind), []).append(item)
    groups = []
    for kind, members in kinds.items():
        ordered = sorted(members, key=lambda i: i.level != "late")  # stable: each app's own order within
        # a record is shown whole (an applicant's timeline has no list page of its own to link to)
        cut = len(ordered) if len(ordered) <= shown + SLACK or kind in records else shown
        more = next((i.more for i in members if i.more), members[0].link)
        groups.append(
            HomeGroup(
                kind=kind,
                items=ordered[:cut],
                total=sum(i.count for i in members),
                late=sum(i.count for i in members if i.level == "late"),
                more=more,
                at_least=any(i.at_least for i in members),
                counted=kind not in records,
            )
        )
    order = {str(i.kind): i.order for i in reversed(items)}
    return sorted(groups, key=lambda g: order[g.kind])


def home_content(user, today) -> tuple[list[SummaryCard], list[HomeItem]]:
    """The figures and the waiting items every app contributes for ``user``: the home page and ``/api/v1/me``
    show the same."""
    cards: list[SummaryCard] = []
    items: list[HomeItem] = []
    for c in contributions():
        if c.summary:
            cards.extend(c.summary(user, today))
        if c.home_items:
            items.extend(c.home_items(user, today))
    return sorted(cards, key=lambda card: card.order), items


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What waits for the user, from every app's contribution: the figures of their scope and, per kind,
    the count and the first few items with a link to the full list. Each contribution runs a constant number
    of queries, so the page does not grow with the data."""
    user = request.user
    cards, items = home_content(user, timezone.localdate())
    return render(
        request,
        "core/home.html",
        {
            # a linked account is greeted by the person's name (one query), an administrator's by the username
            "name": user.person.name if user.person_id else user.get_username(),
            "assignments": assignments_of(user),
            "cards": cards,
            "groups": group_items(items),
            "own_person_id": user.person_id if user.person_id and has_perm(user, "people.view") else None,
        },
    )


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: in production the hashed name exists only after collectstatic.
    return redirect(static("core/favicon.svg"), permanent=False)
