"""Consent to health-risk screening, per person per year (PIPL art. 29: separate consent for sensitive data).

A withdrawal keeps the row (who gave it, when, who withdrew it, when): ``active()`` is what a screening run reads,
so withdrawing removes the person from every later run of that year (PIPL art. 15). Giving consent again after a
withdrawal clears the withdrawal and records the new date and recorder; the audit log keeps the history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy, ScopedQuerySet
from dangjian.core.models import TimestampedModel


class ConsentQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(withdrawn_on__isnull=True)


class Consent(TimestampedModel):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="health_consents", verbose_name=_("人员")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    given_on = models.DateField(_("同意日期"))
    given_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("撤回登记人"),
    )

    objects = ConsentQuerySet.as_manager()
    # PIPL art. 28: health values follow the person, seen by the health officers of their branch or department.
    scoped_by = ScopedBy("health.values", person="person", reach=Reach.MEMBERS_AND_STAFF)

    class Meta:
        verbose_name = _("健康筛查知情同意")
        verbose_name_plural = _("健康筛查知情同意")
        ordering = ["-year", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="health_one_consent_per_person_year"),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="health_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}·{self.year}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None
