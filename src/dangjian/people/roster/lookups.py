"""Finding branches, groups and departments by the names people write in a roster.

A cell names a node by its name or by a path of names ("一总支/一支部", or the
full path from the root); the names given must match the last components of
the node's path. The whole tree is loaded once (hundreds of rows), so resolving
100,000 cells costs dictionary look-ups, not queries.

Out-of-scope branches are left out of the candidates before matching, so a
branch the user may not see gives exactly the "not found" message an unknown
name gives, and never makes a name look ambiguous.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.orgs.models import Department, Organization, OrgKind

from .cells import CellError

SEPARATORS = ("／", "\\")


def split_path(raw: str) -> tuple[str, ...]:
    for sep in SEPARATORS:
        raw = raw.replace(sep, "/")
    return tuple(part.strip() for part in raw.split("/") if part.strip())


@dataclass(frozen=True)
class Node:
    pk: int
    path: str
    name: str
    names: tuple[str, ...]  # names from the root down to this node
    dissolved: bool = False

    @property
    def full_name(self) -> str:
        return "/".join(self.names)


def _names_by_path(rows: list[tuple[int, str, str]], steplen: int) -> dict[str, tuple[str, ...]]:
    name_of = {path: name for _, path, name in rows}
    out: dict[str, tuple[str, ...]] = {}
    for _pk, path, _name in rows:
        out[path] = tuple(name_of.get(path[:i], "?") for i in range(steplen, len(path) + 1, steplen))
    return out


class _SuffixIndex:
    """Nodes keyed by every suffix of their name path."""

    def __init__(self, nodes: list[Node]):
        self.by_suffix: dict[tuple[str, ...], list[Node]] = defaultdict(list)
        for node in nodes:
            for k in range(1, len(node.names) + 1):
                self.by_suffix[node.names[-k:]].append(node)

    def find(self, raw: str) -> list[Node]:
        return self.by_suffix.get(split_path(raw), [])

    def label(self, node: Node) -> str:
        """The shortest name path that finds exactly this node: usually just its name."""
        for k in range(1, len(node.names) + 1):
            if len(self.by_suffix.get(node.names[-k:], ())) == 1:
                return "/".join(node.names[-k:])
        return node.full_name


class Directory:
    """Branches (filtered by scope), their groups and departments, loaded once per import or export."""

    def __init__(self, scope=None):
        org_rows = list(Organization.objects.values_list("pk", "path", "name", "kind", "dissolved_on"))
        today = timezone.localdate()
        names = _names_by_path([(pk, path, name) for pk, path, name, _, _ in org_rows], Organization.steplen)
        all_branches: list[Node] = []
        visible: list[Node] = []
        self.groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.group_name: dict[int, str] = {}
        for pk, path, name, kind, dissolved_on in org_rows:
            if kind == OrgKind.BRANCH:
                node = Node(pk, path, name, names[path], bool(dissolved_on and dissolved_on <= today))
                all_branches.append(node)
                if scope is None or scope.covers_path(path):
                    visible.append(node)
            elif kind == OrgKind.GROUP:
                self.groups[path[: -Organization.steplen]][name].append(pk)
                self.group_name[pk] = name
        self.branch_by_pk = {n.pk: n for n in all_branches}
        self._branches = _SuffixIndex(visible)
        self._branch_labels = _SuffixIndex(all_branches)

        dept_rows = list(Department.objects.values_list("pk", "path", "name"))
        dept_names = _names_by_path(dept_rows, Department.steplen)
        departments = [Node(pk, path, name, dept_names[path]) for pk, path, name in dept_rows]
        self.department_by_pk = {n.pk: n for n in departments}
        self._departments = _SuffixIndex(departments)
        # Departments a scoped importer answers for: those covered by branches in the scope.
        self.covered_departments: set[int] | None = None
        if scope is not None and not scope.everything:
            covered = Department.objects.filter(scope.org_q("organizations__path"))
            self.covered_departments = set(covered.values_list("pk", flat=True))

    def branch(self, raw: str) -> Node:
        found = self._branches.find(raw)
        if not found:
            raise CellError(_("未找到党支部「%(name)s」") % {"name": raw})
        if len(found) > 1:
            paths = "、".join(n.full_name for n in found[:5])
            raise CellError(
                _("党支部名称「%(name)s」不唯一，请填写从所党委开始的完整路径，如：%(paths)s")
                % {"name": raw, "paths": paths}
            )
        return found[0]

    def group(self, branch: Node, raw: str) -> int:
        found = self.groups.get(branch.path, {}).get(raw.strip(), [])
        if not found:
            raise CellError(
                _("党支部「%(branch)s」下没有名为「%(name)s」的党小组") % {"branch": branch.name, "name": raw}
            )
        if len(found) > 1:
            raise CellError(
                _("党支部「%(branch)s」下有多个名为「%(name)s」的党小组，请先在组织架构中区分名称")
                % {"branch": branch.name, "name": raw}
            )
        return found[0]

    def department(self, raw: str) -> int:
        found = self._departments.find(raw)
        if not found:
            raise CellError(_("未找到部门「%(name)s」") % {"name": raw})
        if len(found) > 1:
            paths = "、".join(n.full_name for n in found[:5])
            raise CellError(
                _("部门名称「%(name)s」不唯一，请填写完整路径，如：%(paths)s") % {"name": raw, "paths": paths}
            )
        return found[0].pk

    def branch_label(self, pk: int) -> str:
        node = self.branch_by_pk.get(pk)
        return self._branch_labels.label(node) if node else ""

    def department_label(self, pk: int | None) -> str:
        node = self.department_by_pk.get(pk) if pk else None
        return self._departments.label(node) if node else ""
