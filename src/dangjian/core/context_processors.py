from __future__ import annotations

from django.http import HttpRequest

from dangjian.accounts.scope import has_perm

from .contributions import MenuEntry, contributions


def menu_entries() -> list[MenuEntry]:
    """Every app's menu entries, in their declared order (ties keep the registry's order)."""
    return sorted((entry for c in contributions() for entry in c.menu), key=lambda e: e.order)


def navigation(request: HttpRequest) -> dict:
    """The menu shows only what the user can open; an entry with ``hidden_with`` is left out for users who
    hold that other permission (health officers reach the statistics from their own 健康筛查 page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {
        "nav_items": [
            (e.url_name, e.label)
            for e in menu_entries()
            if has_perm(user, e.perm) and not (e.hidden_with and has_perm(user, e.hidden_with))
        ]
    }
