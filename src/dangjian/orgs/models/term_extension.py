"""An approved early or late election (延期或提前换届) that moves a term's due date.

关于党的基层组织任期的意见（2018）第二条: "如需延期或提前进行换届选举，应报上级党的委员会批准，延长或提前期限
一般不超过1年".
A term keeps its regular end (``CommitteeTerm.ends_on``, from the term rule); the latest approval in force moves the
date the warnings and the organisation page count to. Withdrawn approvals are marked deleted, never removed.
"""

from __future__ import annotations

from django.db import models

from dangjian.core.models import SoftDeleteModel


class TermExtensionQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True)


class TermExtension(SoftDeleteModel):
    term = models.ForeignKey(
        "orgs.CommitteeTerm", on_delete=models.PROTECT, related_name="extensions", verbose_name="届次"
    )
    new_ends_on = models.DateField("调整后的换届日期")
    approved_by = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="批准的上级党委"
    )
    approved_on = models.DateField("批准日期")
    document_number = models.CharField("批准文号", max_length=100, blank=True)
    reason = models.CharField("原因", max_length=300)

    # read and written only through its organisation, which the pages fetch by scope (as ``CommitteeTerm``)
    objects = TermExtensionQuerySet.as_manager()

    class Meta:
        verbose_name = "延期或提前换届"
        verbose_name_plural = "延期或提前换届"
        ordering = ["-approved_on", "-id"]
        indexes = [models.Index(fields=["term", "-approved_on"])]

    def __str__(self) -> str:
        return f"{self.term} → {self.new_ends_on:%Y-%m-%d}"
