"""What every carrier of party work shares: the organisation that runs it and the business work it serves."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedQuerySet
from dangjian.core.models import SoftDeleteModel, SoftDeleteQuerySet


class IntegrationQuerySet(ScopedQuerySet, SoftDeleteQuerySet):
    """Scoped by each model's ``scoped_by`` declaration; deleted rows left out by the manager."""


class Attached(SoftDeleteModel):
    """A carrier attached to business work: to a key task (``project``) or, where it serves a whole stage of a
    business line, to that stage. The integration matrix counts it in the cell of its task or stage."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="%(class)ss", verbose_name=_("党组织")
    )
    project = models.ForeignKey(
        "integration.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("重点任务"),
    )
    stage = models.ForeignKey(
        "integration.ProcessStage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("业务流程环节"),
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        abstract = True
