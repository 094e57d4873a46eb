from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .appraisal import Grade


def rater_digest(appraisal_id: int, person_id: int) -> str:
    """A keyed digest instead of the rater's id: one rating per rater and ratee can be enforced,
    while the stored rows cannot be tied back to a rater without the server's secret key."""
    message = f"appraisal:{appraisal_id}:rater:{person_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


class MutualRating(models.Model):
    """One anonymous mutual-review rating (互评). The secretary sees tallies only."""

    appraisal = models.ForeignKey("appraisal.Appraisal", on_delete=models.PROTECT, related_name="ratings")
    ratee = models.ForeignKey("appraisal.Participant", on_delete=models.PROTECT, related_name="ratings_received")
    rater_digest = models.CharField(max_length=64)
    grade = models.CharField(_("等次"), max_length=20, choices=Grade.choices)

    class Meta:
        verbose_name = _("互评")
        verbose_name_plural = _("互评")
        constraints = [models.UniqueConstraint(fields=["ratee", "rater_digest"], name="one_rating_per_rater_and_ratee")]

    def __str__(self) -> str:
        return f"{self.ratee} {self.get_grade_display()}"
