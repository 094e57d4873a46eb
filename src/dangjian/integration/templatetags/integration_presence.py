"""``{% integration_presence person %}``: the carriers a person belongs to, on their record page (four queries)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from dangjian.accounts.scope import has_perm

from ..active import VIEW
from ..presence import presence

register = template.Library()


@register.inclusion_tag("integration/_presence.html", takes_context=True)
def integration_presence(context: dict[str, Any], person: Any) -> dict[str, Any]:
    user = context["request"].user
    if not has_perm(user, VIEW):
        return {"shown": False}
    return {"shown": True, "presence": presence(person.pk, timezone.localdate(), user)}
