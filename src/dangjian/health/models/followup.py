"""One-to-one follow-up of a screened person (the seed article §3(5): prioritised one-to-one follow-up).

One ``FollowUp`` per person per year, opened when a health officer is assigned or a first contact is recorded;
its records (contact date, advice, referral, exam booked, result, next check date) are added, never edited away.
The content of a record (advice, whether and where referred, exam, result) is health information and is stored
encrypted like checkup values (``crypto.py``); the dates stay plain so the to-do list can find overdue follow-ups
in SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy, ScopedQuerySet
from dangjian.core.models import TimestampedModel
from dangjian.crypto import KeyRing, ring
from dangjian.crypto.rotation import Sealed


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("随访中")
    CLOSED = "closed", _("已结束")


class FollowUpQuerySet(ScopedQuerySet):
    pass


class FollowUp(TimestampedModel):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="health_follow_ups", verbose_name=_("人员")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="health_follow_ups",
        verbose_name=_("负责健康管理员"),
    )
    assigned_on = models.DateField(_("指派日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    last_contact_on = models.DateField(_("最近联系日期"), null=True, blank=True)
    next_check_on = models.DateField(_("下次复查日期"), null=True, blank=True)
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()
    # PIPL art. 28: health values follow the person, seen by the health officers of their branch or department.
    scoped_by = ScopedBy("health.values", person="person", reach=Reach.MEMBERS_AND_STAFF)

    class Meta:
        verbose_name = _("健康随访")
        verbose_name_plural = _("健康随访")
        ordering = ["-year", "person_id"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="health_one_follow_up_per_person_year")]
        indexes = [models.Index(fields=["assigned_to", "status"], name="health_follow_up_todo")]

    def __str__(self) -> str:
        return f"{self.person_id}·{self.year}"


def record_context(follow_up_id: int) -> str:
    """The associated data binding a record's ciphertext to its follow-up."""
    return f"follow_up:{follow_up_id}"


class FollowUpRecord(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="records")
    contact_on = models.DateField(_("联系日期"))
    exam_booked_on = models.DateField(_("预约检查日期"), null=True, blank=True)
    next_check_on = models.DateField(_("下次复查日期"), null=True, blank=True)
    key_id = models.CharField(max_length=16, editable=False)
    # {"advice": …, "referral": bool, "referral_to": …, "exam": …, "result": …}
    ciphertext = models.BinaryField(editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # For ``dangjian rotate-key``.
    SEALED = Sealed(("ciphertext",), lambda row, _f: record_context(row["follow_up_id"]), ("follow_up_id",), "key_id")

    class Meta:
        verbose_name = _("随访记录")
        verbose_name_plural = _("随访记录")
        ordering = ["-contact_on", "-id"]

    def _context(self) -> str:
        return record_context(self.follow_up_id)

    def set_text(self, text: dict, using: KeyRing | None = None) -> None:
        c = using or ring()
        self.key_id = c.key_id
        self.ciphertext = c.encrypt_json(text, self._context())

    def text(self, using: KeyRing | None = None) -> dict:
        c = using or ring()
        return c.decrypt_json(bytes(self.ciphertext), self._context(), self.key_id)
