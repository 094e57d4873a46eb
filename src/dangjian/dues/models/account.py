from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy, ScopedSoftDeleteQuerySet
from dangjian.core.models import TimestampedModel

from ..rules import CATEGORIES, CATEGORY_LABELS

CATEGORY_CHOICES = [(c, CATEGORY_LABELS[c]) for c in CATEGORIES]


class DuesAccount(TimestampedModel):
    """A member's dues account: the branch-set farmer amount; category and base live in ``DuesBase`` by month.

    Accounts are never deleted: they keep the member's whole dues history.
    """

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="dues_account", verbose_name=_("党员")
    )
    farmer_amount = models.DecimalField(
        _("农民党员每月党费（支部确定）"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedSoftDeleteQuerySet.as_manager()
    # Dues follow the member's current branch.
    scoped_by = ScopedBy("dues.view", person="person", reach=Reach.CURRENT_MEMBERS)

    class Meta:
        verbose_name = _("党费账户")
        verbose_name_plural = _("党费账户")

    def __str__(self) -> str:
        return f"{self.person.name}的党费账户"
