"""The indicator tree in memory: what the import, the shipped default and a copied version hand to the services,
and how a stored version is assembled again for its page (one query, then in memory: the tree is small)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from . import scoring

LEAF_FIELDS = ("points", "description", "evidence", "scoring_department", "citation", "method", "params", "fact_key")


@dataclass
class Node:
    """One indicator before it is stored: an inner node has children and no method; a leaf has a method."""

    name: str
    children: list[Node] = field(default_factory=list)
    points: Decimal = Decimal(0)
    description: str = ""
    evidence: str = ""
    scoring_department: str = ""
    citation: str = ""
    method: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    fact_key: str = ""
    where: str = ""  # where the node came from, for messages (a spreadsheet row); empty otherwise
    reported: bool = False  # its source already has a problem reported (a bad cell): not checked again

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def leaves(self) -> Iterator[Node]:
        if self.is_leaf:
            yield self
        for child in self.children:
            yield from child.leaves()

    def counted_points(self) -> Decimal:
        """Points toward the total: the leaves scored out of the total (bonus, deduction, veto) do not count."""
        return sum((leaf.points for leaf in self.leaves() if leaf.method not in scoring.OUTSIDE_TOTAL), Decimal(0))


def walk(nodes: Iterable[Node], depth: int = 0) -> Iterator[tuple[int, Node]]:
    """Every node with its depth, top to bottom (the order rows are stored and shown in)."""
    for node in nodes:
        yield depth, node
        yield from walk(node.children, depth + 1)


def problems(nodes: list[Node], *, total_points: Decimal, bonus_cap: Decimal, fact_keys: Iterable[str]) -> list[str]:
    """Everything wrong with a tree, in Chinese, each message naming the indicator (and its row when imported)."""
    return node_problems(nodes, fact_keys) + total_problems(nodes, total_points=total_points, bonus_cap=bonus_cap)


def node_problems(nodes: list[Node], fact_keys: Iterable[str]) -> list[str]:
    """Each node on its own: a name; a leaf's method and parameters; an ``auto`` leaf reads a registered fact."""
    known = set(fact_keys)
    errors: list[str] = []
    if not nodes:
        return [_("指标体系没有任何指标")]

    def say(node: Node, message: str) -> None:
        where = node.where or node.name
        errors.append(_("%(where)s：%(message)s") % {"where": where, "message": message})

    for _depth, node in walk(nodes):
        if node.reported:
            continue
        if not node.name.strip():
            say(node, _("指标名称不能为空"))
        if not node.is_leaf:
            if node.method:
                say(node, _("有下级指标的指标不能设置评分方法"))
            continue
        if node.method not in scoring.METHODS:
            say(node, _("评分方法应为 %(methods)s 之一") % {"methods": " / ".join(scoring.METHODS)})
            continue
        for message in scoring.validate_method({**node.params, "points": node.points}, node.method):
            say(node, message)
        if node.method == "auto":
            if not node.fact_key:
                say(node, _("自动计分的指标须指定事实"))
            elif node.fact_key not in known:
                say(node, _("事实“%(key)s”未登记（见“事实与指标”页面）") % {"key": node.fact_key})
        elif node.fact_key:
            say(node, _("只有自动计分的指标读取事实"))
    return errors


def total_problems(nodes: list[Node], *, total_points: Decimal, bonus_cap: Decimal) -> list[str]:
    """The leaves counted toward the total (all but bonus, deduction and veto) add up to exactly the total."""
    errors: list[str] = []
    counted = sum((n.counted_points() for n in nodes), Decimal(0))
    if nodes and counted != total_points:
        errors.append(
            _("计入总分的评分项分值合计 %(sum)s 分，与总分 %(total)s 分不一致")
            % {"sum": scoring.rounded(counted), "total": scoring.rounded(total_points)}
        )
    if bonus_cap < 0:
        errors.append(_("加分上限不能为负数"))
    return errors


def from_rows(indicators: Iterable[Any]) -> list[Node]:
    """The stored rows of one version (any order) as a tree, children in their stored order."""
    rows = sorted(indicators, key=lambda i: (i.position, i.pk))
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for row in rows:
        nodes[row.pk] = Node(name=row.name, **{f: getattr(row, f) for f in LEAF_FIELDS})
    for row in rows:
        node = nodes[row.pk]
        (nodes[row.parent_id].children if row.parent_id else roots).append(node)
    for row in rows:
        if not row.method:  # an inner node: its children carry the points
            nodes[row.pk].points = Decimal(0)
    return roots


def as_mapping(node: Node) -> Mapping[str, Any]:
    """A node's stored fields (inner nodes get the sum of their counted leaves as their points)."""
    values = {f: getattr(node, f) for f in LEAF_FIELDS}
    if not node.is_leaf:
        values.update(points=node.counted_points(), method="", params={}, fact_key="")
    return {"name": node.name.strip(), **values}
