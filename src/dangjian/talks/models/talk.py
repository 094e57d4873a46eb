"""A heart-to-heart talk (谈心谈话): who talked with whom, when, and what follows (RULES.md §1)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy
from dangjian.core.models import AliveManager, SoftDeleteModel

from .base import TalksQuerySet

# The tables keep the names they had in the meetings app (moved without copying data, talks 0001).


class Talk(SoftDeleteModel):
    """A heart-to-heart talk (谈心谈话), generally at least one a year for each member."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="talks", verbose_name=_("党支部")
    )
    talker = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="talks_given", verbose_name=_("谈话人")
    )
    talkee = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="talks_received", verbose_name=_("谈话对象")
    )
    held_on = models.DateField(_("谈话日期"))
    topics = models.TextField(_("谈话内容"))
    follow_up = models.TextField(_("后续跟进"), blank=True)
    follow_up_due = models.DateField(_("跟进期限"), null=True, blank=True)

    objects = AliveManager.from_queryset(TalksQuerySet)()
    # A member sees the talks they gave or received.
    scoped_by = ScopedBy("life.view", organization="organization", own=("talker", "talkee"))

    # the audit log kept the label of the meetings app for rows written before the move (talks 0001)
    audit_former_labels = ("meetings.talk",)

    class Meta:
        db_table = "meetings_talk"
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "held_on"]), models.Index(fields=["talkee", "held_on"])]
        constraints = [models.CheckConstraint(condition=~models.Q(talker=models.F("talkee")), name="talk_between_two")]

    def __str__(self) -> str:
        return f"{self.talker} → {self.talkee} {self.held_on}"
