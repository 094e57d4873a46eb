"""The one restriction mechanism: what a user's role assignments cover.

Every queryset a page, export or API endpoint shows goes through a model's
``visible_to(user, perm)``, which asks ``scope_for`` here. Out-of-scope objects
are then simply not found (404), never 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

from .roles import GLOBAL_ROLES, ROLE_PERMISSIONS, SELF_ROLES


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    subtree_paths: tuple[str, ...] = ()
    exact_paths: tuple[str, ...] = ()
    person_ids: tuple[int, ...] = field(default=())
    global_grant: bool = False

    @property
    def has_orgs(self) -> bool:
        return bool(self.subtree_paths or self.exact_paths)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.has_orgs or self.person_ids or self.global_grant)

    def org_q(self, path_field: str) -> Q:
        """A Q over an organisation path field; matches nothing when the scope has no organisations."""
        if self.everything:
            return Q()
        parts = [Q(**{f"{path_field}__startswith": p}) for p in _minimal(self.subtree_paths)]
        parts += [Q(**{path_field: p}) for p in self.exact_paths]
        if not parts:
            return Q(pk__in=[])
        return reduce(or_, parts)

    def covers_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.subtree_paths) or path in self.exact_paths


def _minimal(paths: tuple[str, ...]) -> list[str]:
    """Drop paths inside another path of the list, so the SQL stays short."""
    out: list[str] = []
    for p in sorted(set(paths), key=len):
        if not any(p.startswith(q) for q in out):
            out.append(p)
    return out


def assignments_of(user) -> list:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_dangjian_assignments", None)
    if cached is None:
        cached = list(user.assignments.active().select_related("organization"))
        user._dangjian_assignments = cached
    return cached


def has_perm(user, perm: str) -> bool:
    return any(perm in ROLE_PERMISSIONS.get(a.role, ()) for a in assignments_of(user))


def can(user, perm: str, obj=None) -> bool:
    """May ``user`` do ``perm`` (on ``obj``, when given: inside the scope of that permission)?"""
    if not has_perm(user, perm):
        return False
    if obj is None:
        return True
    scope = scope_for(user, perm)
    if scope.everything or scope.global_grant:
        return True
    path = getattr(obj, "path", None) or getattr(getattr(obj, "organization", None), "path", None)
    return bool(path) and scope.covers_path(path)


def scope_for(user, perm: str) -> Scope:
    cache = getattr(user, "_dangjian_scopes", None)
    if cache is None:
        cache = {}
        if getattr(user, "is_authenticated", False):
            user._dangjian_scopes = cache
    if perm not in cache:
        cache[perm] = _compute_scope(user, perm)
    return cache[perm]


def _compute_scope(user, perm: str) -> Scope:
    subtree: list[str] = []
    exact: list[str] = []
    persons: list[int] = []
    global_grant = False
    for a in assignments_of(user):
        if perm not in ROLE_PERMISSIONS.get(a.role, ()):
            continue
        if a.role in GLOBAL_ROLES:
            global_grant = True
        elif a.role in SELF_ROLES:
            if user.person_id:
                persons.append(user.person_id)
        elif a.organization_id:
            (subtree if a.subtree else exact).append(a.organization.path)
    everything = _covers_whole_tree(subtree)
    return Scope(
        everything=everything,
        subtree_paths=tuple(subtree),
        exact_paths=tuple(exact),
        person_ids=tuple(persons),
        global_grant=global_grant,
    )


def _covers_whole_tree(subtree_paths: list[str]) -> bool:
    """A subtree grant on every root is the whole tree: skip the filter entirely."""
    if not subtree_paths:
        return False
    from dangjian.orgs.models import Organization

    roots = set(Organization.objects.filter(depth=1).values_list("path", flat=True))
    return bool(roots) and roots <= set(subtree_paths)
