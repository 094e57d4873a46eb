from __future__ import annotations

from django.db import models
from treebeard.mp_tree import MP_Node

from dangjian.core.models import TimestampedModel


class Department(MP_Node, TimestampedModel):
    """The institute's administrative and research units: a tree separate from the party tree."""

    class Kind(models.TextChoices):
        INSTITUTE = "institute", "单位"
        RESEARCH = "research", "研究室/中心"
        OFFICE = "office", "职能部门"
        OTHER = "other", "其他"

    code = models.CharField("部门代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.RESEARCH)
    order = models.PositiveIntegerField("排序", default=0)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)

    class Meta:
        verbose_name = "行政部门"
        verbose_name_plural = "行政部门"

    def __str__(self) -> str:
        return self.name
