"""The sequence numbers of an organisation's 文号, one counter per issuing organisation and year.

GB/T 9704-2012 §7.2.4: a 发文字号 is 发文机关代字、年份、发文顺序号 — the sequence is the issuing organisation's,
whatever the kind of document. A branch's printed 请示 for an admission (``development.documents``) and its
请示报告 (``submissions``) are both its documents and draw from the one counter here, so that 一支部〔2026〕3号 names
one document only.

A number is taken inside the caller's transaction with the counter's row locked (``select_for_update``): two
documents of one organisation issued at once get 1 and 2, never 1 twice, and a transaction that fails gives its
number back. The caller records the number it took in its own audit event (the document is what is audited; the
counter is only its source).
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .models import TimestampedModel


class DocumentNumber(TimestampedModel):
    """The last sequence number an organisation issued in a year (0 before its first document)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("发文单位")
    )
    year = models.PositiveIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("发文序号")
        verbose_name_plural = _("发文序号")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="document_number_org_year")]

    def __str__(self) -> str:
        return f"{self.organization_id}〔{self.year}〕{self.last}"


def next_number(organization_id: int, year: int) -> int:
    """The next sequence number of ``organization_id``'s documents of ``year``, taken for good when the caller's
    transaction commits. The first document of a year creates the counter; when two create it at once, the
    unique constraint lets one in and ``get_or_create`` hands the other the row, locked, once the first commits."""
    with transaction.atomic():
        counter, _created = DocumentNumber.objects.select_for_update().get_or_create(
            organization_id=organization_id, year=year
        )
        counter.last += 1
        counter.save(update_fields=["last", "updated_at"])
    return counter.last
