from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from dangjian.accounts.scope import ScopedBy, ScopedQuerySet
from dangjian.core.models import TimestampedModel
from dangjian.core.tree_paths import subtree_q


class DepartmentQuerySet(ScopedQuerySet, MP_NodeQuerySet):
    def subtree(self, department: Department):
        """``department`` and every unit below it, as an index range on the path."""
        return self.filter(subtree_q(department.path))


class DepartmentManager(MP_NodeManager.from_queryset(DepartmentQuerySet)):  # type: ignore[misc]
    def get_queryset(self):
        return DepartmentQuerySet(self.model, using=self._db).order_by("path")


class Department(MP_Node, TimestampedModel):
    """The institute's administrative and research units: a tree separate from the party tree."""

    class Kind(models.TextChoices):
        INSTITUTE = "institute", _("单位")
        RESEARCH = "research", _("研究室/中心")
        OFFICE = "office", _("职能部门")
        OTHER = "other", _("其他")

    code = models.CharField("部门代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.RESEARCH)
    order = models.PositiveIntegerField("排序", default=0)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)

    objects = DepartmentManager()
    # The whole tree for a whole-tree scope; otherwise the departments the branches in scope cover.
    scoped_by = ScopedBy("orgs.view", organization="organizations")

    class Meta:
        verbose_name = "行政部门"
        verbose_name_plural = "行政部门"

    def __str__(self) -> str:
        return self.name
