"""Materialised paths computed in memory, so a whole tree goes in with ``bulk_create``.

treebeard's ``add_child`` costs several queries per node; a group-scale tree has ~7,500
organisations and ~6,500 departments. We give each node the path treebeard itself would
give it (steps of 4 base-36 characters, children numbered from 1 in insertion order) and
the right ``depth`` and ``numchild``, which ``find_problems()`` checks in the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from dangjian.orgs.models import Department, Organization

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
assert Organization.alphabet == Department.alphabet == ALPHABET
assert Organization.steplen == Department.steplen == STEPLEN


class _Node(Protocol):
    children: list[Any]
    instance: Any


def step(index: int) -> str:
    """The path step of the ``index``-th child (1-based), e.g. 1 → "0001", 36 → "0010"."""
    digits = ""
    while index:
        index, rem = divmod(index, len(ALPHABET))
        digits = ALPHABET[rem] + digits
    if len(digits) > STEPLEN:
        raise ValueError("too many siblings for the path step length")
    return digits.rjust(STEPLEN, ALPHABET[0])


def _walk(node: _Node, path: str, order: int) -> Iterator[tuple[_Node, str, int]]:
    yield node, path, order
    for i, child in enumerate(node.children, start=1):
        yield from _walk(child, path + step(i), i)


def materialize(root: _Node, root_index: int, make: Callable[[_Node, str, int], Any]) -> list[Any]:
    """Build one unsaved instance per node (parents before children) and attach it to the node."""
    out = []
    for node, path, order in _walk(root, step(root_index), root_index):
        node.instance = make(node, path, order)
        out.append(node.instance)
    return out


def make_org(node: Any, path: str, order: int) -> Organization:
    return Organization(
        path=path,
        depth=len(path) // STEPLEN,
        numchild=len(node.children),
        kind=node.kind,
        joint=node.joint,
        code=node.code,
        name=node.name,
        short_name=node.short_name,
        founded_on=node.founded_on,
        order=order,
    )


def make_dept(node: Any, path: str, order: int) -> Department:
    return Department(
        path=path,
        depth=len(path) // STEPLEN,
        numchild=len(node.children),
        code=node.code,
        name=node.name,
        kind=node.kind,
        order=order,
    )
