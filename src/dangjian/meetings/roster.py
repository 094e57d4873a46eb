"""Who is due to attend a meeting, from the roster on the meeting's date."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.db.models import Q

from dangjian.orgs.models import CommitteePost, Organization
from dangjian.people.models import Membership
from dangjian.people.models.membership import rights_stopped

from .models import AttendanceExemption, MeetingKind
from .roster_rules import discipline_probation_votes


class RosterEntry(NamedTuple):
    """One person on a meeting's roster: ``exemption`` set means present on the list but not counted as due."""

    person_id: int
    voting: bool
    exemption_id: int | None = None

    @property
    def expected(self) -> bool:
        return self.exemption_id is None


def _memberships_on(on: date):
    """Memberships on ``on`` whose party rights are not stopped: a member under 停止党籍 (党员教育管理工作条例 第24条)
    is off the roster (应到会) from the day of the decision."""
    rows = Membership.objects.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    return rows.filter(~rights_stopped(on))


def _votes(m: Membership, on: date, probation_votes: bool = False) -> bool:
    """Full members vote; a probationary member attends without a vote until conversion (党章 第7条).

    A member under 留党察看 attends without a vote until the day the rights are restored (that day votes
    again): 党章 第40条 "留党察看期间没有表决权、选举权和被选举权", and 基层组织选举工作条例（2020）第5条
    (members under 留党察看 have no right to vote or stand in elections). Rule data:
    ``roster_rules.ROSTER_RULES["roster.discipline_probation_votes"]``.
    """
    if not probation_votes and m.under_discipline_probation(on):
        return False
    if m.status == "full":
        return m.converted_on is None or m.converted_on <= on
    return m.converted_on is not None and m.converted_on <= on


def exemptions_on(person_ids, organization_ids, on: date) -> dict[int, int]:
    """Person id → the exemption from 应到会 in force on ``on`` in their branch (one query)."""
    rows = AttendanceExemption.objects.in_force(on).filter(
        person_id__in=person_ids, organization_id__in=organization_ids
    )
    return dict(rows.order_by("person_id", "-id").values_list("person_id", "pk"))


def expected_attendees(org: Organization, kind: str, on: date) -> list[RosterEntry]:
    """Everyone on the roster: due to attend, or exempted (``exemption_id``) and listed outside the count."""
    if kind == MeetingKind.COMMITTEE_MEETING or (kind == MeetingKind.CENTRAL_GROUP_STUDY and org.kind != "branch"):
        term = org.terms.filter(elected_on__lte=on).order_by("-elected_on").first()
        if term is None:
            return []
        posts = CommitteePost.objects.filter(term=term).filter(~rights_stopped(on))
        people = sorted(set(posts.values_list("person_id", flat=True)))
        return [RosterEntry(pk, True) for pk in people]
    if org.kind == "group":
        members = _memberships_on(on).filter(group=org)
    else:
        members = _memberships_on(on).filter(organization=org)
    rows = list(members.order_by("person_id"))
    exempted = exemptions_on([m.person_id for m in rows], {m.organization_id for m in rows}, on) if rows else {}
    probation_votes = discipline_probation_votes(on)
    return [RosterEntry(m.person_id, _votes(m, on, probation_votes), exempted.get(m.person_id)) for m in rows]
