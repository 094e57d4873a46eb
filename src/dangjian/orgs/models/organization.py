from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from dangjian.accounts.scope import ScopedBy, ScopedQuerySet
from dangjian.core.models import TimestampedModel
from dangjian.core.tree_paths import subtree_q


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


class OrgSetting(models.TextChoices):
    """Where the organisation sits, for the rules that differ by setting (village and community terms: 5 years,
    关于党的基层组织任期的意见 2018 第一条). Empty for every other unit, the institute's own organisations included."""

    OTHER = "", _("其他基层单位")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")


def active_q(on: date | None = None) -> Q:
    """Organisations not dissolved on ``on`` (today by default): dissolved the day after or later, or never."""
    on = on or timezone.localdate()
    return Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on)


def children_q(org: Organization) -> Q:
    return subtree_q(org.path) & Q(depth=org.depth + 1)


class OrganizationQuerySet(ScopedQuerySet, MP_NodeQuerySet):
    def active(self, on: date | None = None):
        return self.filter(active_q(on))

    def rectifying(self):
        """Organisations under 软弱涣散 整顿 now (an open period, ``Rectifying``)."""
        from .rectifying import Rectifying

        # a subquery, not a join on the periods: a join's lifted_on IS NULL also matches an organisation with none
        return self.filter(pk__in=Rectifying.objects.open().values("organization_id"))

    def subtree(self, org: Organization | str):
        """``org`` (an organisation or its path) and everything below it, as an index range on the path."""
        return self.filter(subtree_q(org if isinstance(org, str) else org.path))

    def children_of(self, org: Organization):
        return self.filter(children_q(org))


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):  # type: ignore[misc]
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node, TimestampedModel):
    """A node of the party organisation tree, stored as a materialised path.

    Organisations are dissolved (``dissolved_on``), never deleted, so that
    history stays attached to them.
    """

    kind = models.CharField("类型", max_length=20, choices=OrgKind.choices)
    joint = models.BooleanField("联合党支部", default=False)
    setting = models.CharField("所在单位类型", max_length=20, choices=OrgSetting.choices, default="", blank=True)
    code = models.CharField("组织代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    order = models.PositiveIntegerField("排序", default=0)
    departments = models.ManyToManyField(
        "orgs.Department", blank=True, related_name="organizations", verbose_name="覆盖部门"
    )

    objects = OrganizationManager()
    scoped_by = ScopedBy("orgs.view", organization="")

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None and self.dissolved_on <= timezone.localdate()

    @property
    def rectifying(self) -> bool:
        """Under 软弱涣散 整顿 now: an open period until the committee lifts it (one query; GLOSSARY)."""
        return self.rectifying_periods.filter(lifted_on__isnull=True).exists()

    @property
    def display_name(self) -> str:
        return self.short_name or self.name
