"""One checkup per person per year; its values are encrypted at rest (see ``dangjian.crypto``).

Only the checkup date, the year and bookkeeping are plain columns: every value (blood pressure, cholesterol,
lab results, questionnaire answers) is one AES-GCM ciphertext bound to ``checkup:<person id>:<year>``. A screening
run reads all ciphertexts of a year with one query (``data.checkup_rows``) and decrypts them in Python; nothing
can filter on values in SQL, which is the point. Re-importing the same person and year replaces the values in
place (audited, without values).

The plaintext is the positional payload of ``payload.py`` (format 1, ~180 bytes a row rather than ~650 as a JSON
object: a run over 150,000 people fetches ~27 MB instead of ~100 MB).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy, ScopedQuerySet
from dangjian.core.models import TimestampedModel
from dangjian.crypto import KeyRing, ring
from dangjian.crypto.rotation import Sealed

from ..payload import FORMAT, PAYLOAD_V1, context, decode, decode_with_gaps, encode  # noqa: F401 (re-exported)


def decrypt_rows(rows, using: KeyRing | None = None):
    """``(person_id, year, key_id, ciphertext)`` tuples (``values_list``) → ``(person_id, values)``, in order."""
    c = using or ring()
    for person_id, year, key_id, blob in rows:
        yield person_id, decode(c.decrypt_json(blob, Checkup.context_for(person_id, year), key_id))


class CheckupQuerySet(ScopedQuerySet):
    pass


class Checkup(TimestampedModel):
    class Source(models.TextChoices):
        IMPORT = "import", _("导入")
        DEMO = "demo", _("演示数据")
        MANUAL = "manual", _("录入")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="health_checkups", verbose_name=_("人员")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    checked_on = models.DateField(_("体检日期"))
    key_id = models.CharField(_("密钥编号"), max_length=16, editable=False)
    ciphertext = models.BinaryField(_("加密数据"), editable=False)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.IMPORT)
    import_job = models.ForeignKey(
        "health.CheckupImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="checkups"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CheckupQuerySet.as_manager()
    # PIPL art. 28: health values follow the person, seen by the health officers of their branch or department.
    scoped_by = ScopedBy("health.values", person="person", reach=Reach.MEMBERS_AND_STAFF)
    # For ``dangjian rotate-key``.
    SEALED = Sealed(
        ("ciphertext",), lambda row, _f: context(row["person_id"], row["year"]), ("person_id", "year"), "key_id"
    )

    class Meta:
        verbose_name = _("体检结果")
        verbose_name_plural = _("体检结果")
        ordering = ["-year", "person_id"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="health_one_checkup_per_person_year")]

    def __str__(self) -> str:
        return f"{self.person_id}·{self.year}"

    @staticmethod
    def context_for(person_id: int, year: int) -> str:
        return context(person_id, year)

    def set_values(self, values: dict, using: KeyRing | None = None) -> None:
        """Encrypt ``values`` (canonical units, None for missing) into this row; call before save()."""
        c = using or ring()
        self.key_id = c.key_id
        self.ciphertext = c.encrypt_json(encode(values), self.context_for(self.person_id, self.year))

    def values(self, using: KeyRing | None = None) -> dict:
        """The decrypted values; raises ``HealthKeyError`` with the wrong key or a tampered row."""
        c = using or ring()
        return decode(c.decrypt_json(self.ciphertext, self.context_for(self.person_id, self.year), self.key_id))
