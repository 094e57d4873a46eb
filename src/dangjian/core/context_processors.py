from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import has_perm

from .contributions import MENU_GROUPS, MenuEntry, contributions

# Where an entry naming no known group goes: last, so that a new app's page is still reachable.
OTHER_GROUP = "more"
OTHER_LABEL = _("更多")


@dataclass(frozen=True)
class NavLink:
    url_name: str
    label: Any
    current: bool  # the page being shown (aria-current="page")


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: Any
    links: list[NavLink]
    current: bool  # holds the page being shown, or the app it belongs to

    @property
    def single(self) -> NavLink | None:
        """The group's one link, when it has only one: shown as a plain link rather than a menu of one."""
        return self.links[0] if len(self.links) == 1 else None


def menu_entries() -> list[MenuEntry]:
    """Every app's menu entries, in their declared order (ties keep the registry's order)."""
    return sorted((entry for c in contributions() for entry in c.menu), key=lambda e: e.order)


def visible_entries(user: Any) -> list[MenuEntry]:
    """The entries ``user`` may open; one with ``hidden_with`` is left out for users who hold that other permission
    (health officers reach the statistics from their own 健康筛查 page)."""
    return [
        e for e in menu_entries() if has_perm(user, e.perm) and not (e.hidden_with and has_perm(user, e.hidden_with))
    ]


def menu_groups(entries: list[MenuEntry], view_name: str = "") -> list[NavGroup]:
    """``entries`` under their groups, in ``MENU_GROUPS``' order, each keeping the entries' order; a group none of
    whose entries is given is left out. The group holding ``view_name`` is current; on a page no entry names (a
    person's page), the group whose entries share the page's app namespace, when only one does."""
    by_group: dict[str, list[MenuEntry]] = {}
    for e in entries:
        by_group.setdefault(e.group if e.group in MENU_GROUPS else OTHER_GROUP, []).append(e)
    exact = {g for g, es in by_group.items() if any(e.url_name == view_name for e in es)}
    if not exact and ":" in view_name:
        namespace = view_name.rsplit(":", 1)[0]
        near = {g for g, es in by_group.items() if any(e.url_name.rsplit(":", 1)[0] == namespace for e in es)}
        exact = near if len(near) == 1 else set()
    labels = {**MENU_GROUPS, OTHER_GROUP: OTHER_LABEL}
    return [
        NavGroup(
            key=key,
            label=labels[key],
            links=[NavLink(e.url_name, e.label, e.url_name == view_name) for e in by_group[key]],
            current=key in exact,
        )
        for key in labels
        if key in by_group
    ]


def navigation(request: HttpRequest) -> dict:
    """The menu shows only what the user can open, grouped (``nav_groups``); ``nav_items`` is the same as one flat
    list of (url name, label)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": []}
    entries = visible_entries(user)
    match = getattr(request, "resolver_match", None)
    view_name = (match.view_name if match else "") or ""
    return {"nav_items": [(e.url_name, e.label) for e in entries], "nav_groups": menu_groups(entries, view_name)}
