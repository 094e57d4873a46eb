"""Writing the year's summary text (年度工作总结): the secretary of the organisation (or the office above), audited
with the old and the new text, so that the audit log keeps every version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Organization

from .models import YearSummary
from .runs import check_year

CHANGE = "ledger.change"
VIEW = "ledger.view"
MAX_TEXT = 20_000


def save_summary(user, organization_id: int, year: int, text: str) -> YearSummary:
    year = check_year(year)
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("总结正文不能超过%(n)d字") % {"n": MAX_TEXT}})
    with transaction.atomic():
        organization = recheck(Organization.objects.all(), user, CHANGE, organization_id)
        summary = YearSummary.objects.select_for_update().filter(organization=organization, year=year).first()
        before = {"text": summary.text} if summary else None
        if summary is None:
            summary = YearSummary(organization=organization, year=year)
        elif summary.text == text:
            return summary
        summary.text = text
        summary.updated_by = user
        summary.updated_at = timezone.now()
        summary.save()
        record(
            "update" if before else "create",
            summary,
            before=before,
            after={"text": text},
            detail={"year": year, "organization": organization.code},
            object_repr=str(summary),
        )
    return summary
