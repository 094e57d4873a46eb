from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from dangjian.core.models import TimestampedModel


class DepartmentQuerySet(MP_NodeQuerySet):
    def visible_to(self, user, perm: str = "orgs.view"):
        """The whole tree for a whole-tree scope; otherwise the departments the user's branches cover."""
        from dangjian.accounts.scope import scope_for

        scope = scope_for(user, perm)
        if scope.everything:
            return self
        return self.filter(pk__in=Department.objects.filter(scope.org_q("organizations__path")).values("pk"))


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

    class Meta:
        verbose_name = "行政部门"
        verbose_name_plural = "行政部门"

    def __str__(self) -> str:
        return self.name
