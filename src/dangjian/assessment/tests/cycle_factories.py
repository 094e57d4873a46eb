"""A published system whose auto leaf counts 主题党日 (a meetings fact), and a cycle over the test tree's branches."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from dangjian.assessment import cycles, services
from dangjian.assessment.tree import Node

from .factories import small_data, small_tree


def meeting_tree() -> list[Node]:
    nodes = small_tree()
    auto = nodes[0].children[0].children[0]
    auto.fact_key = "meetings.theme_day.held"
    auto.params = {"kind": "linear", "from": 0, "to": 12}
    auto.citation = "《中国共产党党员教育管理工作条例》第十六条"
    nodes[1].children.append(Node(name="通报批评", points=Decimal(2), method="deduction", params={"combine": "sum"}))
    return nodes


def published_system(user, name: str = "测试体系"):
    system = services.create_system(user, small_data(name), meeting_tree())
    return services.publish(user, system.pk)


def open_cycle(user, system, units, year: int = 2026):
    return cycles.open_cycle(
        user,
        system_id=system.pk,
        year=year,
        half=None,
        title="",
        unit_ids=[u.pk for u in units],
        self_deadline=date(year + 1, 1, 15),
        review_deadline=date(year + 1, 1, 31),
    )


def theme_day(org, on: date):
    from dangjian.meetings.models import Meeting

    start = timezone.make_aware(timezone.datetime(on.year, on.month, on.day, 9))
    return Meeting.objects.create(
        organization=org,
        kind="theme_day",
        title="主题党日",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        status="held",
    )


def published(cycle, deadline: date | None = None):
    """The cycle as published with an objection window to ``deadline`` (ten days from today by default), set
    directly: the tests that read a unit's result need it, and the lifecycle's own tests take the real steps."""
    cycle.status = "published"
    cycle.published_at = timezone.now()
    cycle.objection_deadline = deadline or timezone.localdate() + timedelta(days=10)
    cycle.save(update_fields=["status", "published_at", "objection_deadline"])
    return cycle
