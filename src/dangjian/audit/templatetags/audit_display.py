"""``{% shown_events history as rows %}``: an object's change history in words (``dangjian.audit.display``)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from ..display import ShownEvent, present
from ..models import AuditEvent

register = template.Library()


@register.simple_tag
def shown_events(events: Iterable[AuditEvent]) -> list[ShownEvent]:
    return present(events)
