"""Who is due to attend a meeting, from the roster on the meeting's date."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from dangjian.orgs.models import CommitteePost, Organization
from dangjian.people.models import Membership

from .models import MeetingKind


def _memberships_on(on: date):
    return Membership.objects.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))


def _votes(m: Membership, on: date) -> bool:
    """Full members vote; a probationary member attends without a vote until conversion."""
    if m.status == "full":
        return m.converted_on is None or m.converted_on <= on
    return m.converted_on is not None and m.converted_on <= on


def expected_attendees(org: Organization, kind: str, on: date) -> list[tuple[int, bool]]:
    """(person id, has a vote) for everyone due to attend."""
    if kind == MeetingKind.COMMITTEE_MEETING or (kind == MeetingKind.CENTRAL_GROUP_STUDY and org.kind != "branch"):
        term = org.terms.filter(elected_on__lte=on).order_by("-elected_on").first()
        if term is None:
            return []
        people = sorted(set(CommitteePost.objects.filter(term=term).values_list("person_id", flat=True)))
        return [(pk, True) for pk in people]
    if org.kind == "group":
        members = _memberships_on(on).filter(group=org)
    else:
        members = _memberships_on(on).filter(organization=org)
    return [(m.person_id, _votes(m, on)) for m in members.order_by("person_id")]
