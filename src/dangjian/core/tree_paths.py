"""Subtrees of a materialised-path tree as an index range, the one place a path prefix becomes SQL.

Treebeard stores each node's ``path`` as its ancestors' steps followed by its own (steps over the alphabet
``0-9A-Z``), so a subtree is every path that begins with the node's path. Written as ``LIKE 'p%'`` that is a
pattern SQLite never serves from an index (Django adds ``ESCAPE``) and PostgreSQL serves only from a separate
pattern index; written as the range ``p <= path < next(p)`` it is a plain B-tree range on the unique path index
on both databases, which the planner estimates well. ``next(p)`` is the smallest path after every descendant of
``p``: ``p`` plus one in the alphabet, with carry, so it never leaves the alphabet (a character such as ``:``
would sort differently under a linguistic collation).
"""

from __future__ import annotations

from django.db.models import Q

# Treebeard's default alphabet for MP_Node, which Organization and Department use; ordered as the database orders it.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def after_subtree(path: str) -> str | None:
    """The least string greater than every path that starts with ``path``; None when there is none (all ``Z``)."""
    chars = list(path)
    for i in range(len(chars) - 1, -1, -1):
        position = ALPHABET.index(chars[i])
        if position + 1 < len(ALPHABET):
            chars[i] = ALPHABET[position + 1]
            return "".join(chars[: i + 1])
    return None


def subtree_q(path: str, field: str = "path") -> Q:
    """Rows whose ``field`` (a path) is ``path`` or below it."""
    upper = after_subtree(path)
    q = Q(**{f"{field}__gte": path})
    return q & Q(**{f"{field}__lt": upper}) if upper is not None else q


def in_subtree(path: str, of: str) -> bool:
    """``path`` is ``of`` or one of its descendants (no query)."""
    return path.startswith(of)
