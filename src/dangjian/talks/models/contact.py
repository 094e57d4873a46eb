"""Leaders' contact points (党建联系点) and their visits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy
from dangjian.core.models import AliveManager, SoftDeleteModel, TimestampedModel

from .base import TalksQuerySet


class ContactPoint(SoftDeleteModel):
    """A leader's assigned grassroots branch (党建联系点) for a span of years."""

    leader = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="contact_points", verbose_name=_("领导")
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="contact_points", verbose_name=_("联系党支部")
    )
    since = models.DateField(_("起始日期"))
    until = models.DateField(_("结束日期"), null=True, blank=True)

    objects = AliveManager.from_queryset(TalksQuerySet)()
    scoped_by = ScopedBy("life.view", organization="organization", own="leader")

    # the audit log kept the label of the meetings app for rows written before the move (talks 0001)
    audit_former_labels = ("meetings.contactpoint",)

    class Meta:
        db_table = "meetings_contactpoint"
        verbose_name = _("党建联系点")
        verbose_name_plural = _("党建联系点")
        ordering = ["leader__sort_key", "leader__name", "-since"]

    def __str__(self) -> str:
        return f"{self.leader} · {self.organization}"


class ContactVisit(TimestampedModel):
    contact_point = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("调研日期"))
    summary = models.TextField(_("调研情况"))
    issues = models.TextField(_("发现的问题与建议"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # the audit log kept the label of the meetings app for rows written before the move (talks 0001)
    audit_former_labels = ("meetings.contactvisit",)

    class Meta:
        db_table = "meetings_contactvisit"
        verbose_name = _("联系点调研")
        verbose_name_plural = _("联系点调研")
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.contact_point} {self.visited_on}"
