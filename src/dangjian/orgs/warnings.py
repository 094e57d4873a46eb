"""Structural warnings for many organisations at once, in a constant number of queries."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from .models import CommitteeTerm, Organization
from .rules import StructuralWarning, structural_warnings


def warnings_for(orgs: list[Organization], today: date) -> dict[Organization, list[StructuralWarning]]:
    if not orgs:
        return {}
    ids = [o.pk for o in orgs]
    from dangjian.people.models import Membership

    counts = {
        row["organization_id"]: row
        for row in Membership.objects.current()
        .filter(organization_id__in=ids)
        .values("organization_id")
        .annotate(full=Count("id", filter=Q(status="full")), total=Count("id"))
    }
    # The latest term's end only, as plain values: the home page reads this for 500 organisations per visit.
    latest: dict[int, date] = {}
    terms = CommitteeTerm.objects.filter(organization_id__in=ids).order_by("organization_id", "-elected_on")
    for org_id, ends_on in terms.values_list("organization_id", "ends_on"):
        latest.setdefault(org_id, ends_on)
    out: dict[Organization, list[StructuralWarning]] = {}
    for org in orgs:
        if org.dissolved_on and org.dissolved_on <= today:
            continue
        c = counts.get(org.pk, {"full": 0, "total": 0})
        ws = structural_warnings(
            kind=org.kind,
            full_members=c["full"],
            total_members=c["total"],
            has_committee=org.pk in latest,
            term_ends_on=latest.get(org.pk),
            today=today,
        )
        if ws:
            out[org] = ws
    return out
