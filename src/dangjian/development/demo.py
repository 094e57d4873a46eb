"""Demo development cases for the demo institute: every stage, some overdue, some due within 30 days, one
override — all dated from ``dangjian.demo.spec.reference_date()`` and consistent with the rules (see ``synth``)."""

from __future__ import annotations

from datetime import timedelta

from dangjian.accounts.models import User
from dangjian.demo import flagship
from dangjian.demo.spec import reference_date
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, MembershipStatus, Person, PoliticalStatus, StartCause

from .models import Development, StepRecord
from .rules import party_standing_starts, probation_end
from .synth import Plan, build, gather

COUNT = 60


def _forced() -> list[tuple[int, object]]:
    """(steps done, day of the last one): the situations a secretary should meet in the demo."""
    ref = reference_date()
    day = timedelta(days=1)
    return [
        (1, ref - 10 * day),  # talk due within 30 days
        (1, ref - 45 * day),  # talk overdue
        (0, ref - 3 * day),  # application just received
        (2, ref - 60 * day),  # waiting to become an activist
        (6, ref - 30 * day),  # activist: confirming as candidate blocked until the full year
        (8, ref - 20 * day),  # sponsors
        (11, ref - 15 * day),  # trained candidate
        (15, ref - 70 * day),  # admission approval due within 30 days
        (15, ref - 120 * day),  # admission approval overdue
        (17, ref - 100 * day),  # probationary
        (20, ref - 200 * day),  # probationary, oath taken
        (22, ref - 5 * day),  # conversion meeting due after the year
        (24, ref - 10 * day),  # converted, file to archive
        (25, ref - 30 * day),  # closed
    ]


def generate_demo(seed: int) -> dict[str, int]:
    """Fill the demo institute's development cases (the first committee of the tree); returns row counts."""
    root = Organization.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return {}
    user = User.objects.filter(username="office").first() or User.objects.order_by("pk").first()
    if user is None:
        return {}
    candidates, members = gather(Organization.objects.subtree(root))
    home = Organization.objects.subtree(root).filter(kind="branch", name=flagship.SECRETARY_BRANCH).first()
    first_branch = home.pk if home else None
    counts = build(Plan(COUNT, reference_date(), _forced(), first_branch=first_branch), candidates, members, user, seed)
    counts["development.memberships"] = _roster_follows(root)
    return counts


def _roster_follows(root) -> int:
    """As ``services._update_roster`` does when a step is recorded: approved admissions are probationary
    members from the admitting meeting, approved conversions full members from the end of probation."""
    approved = StepRecord.objects.filter(
        development__branch__in=Organization.objects.subtree(root),
        code__in=("admission_meeting", "conversion_approval"),
    ).values_list("development_id", "code", "done_on")
    dates: dict[int, dict[str, object]] = {}
    for dev_id, code, done_on in approved:
        dates.setdefault(dev_id, {})[code] = done_on
    admitted = StepRecord.objects.filter(development_id__in=list(dates), code="upper_approval")
    rows, people = [], {}
    for dev in Development.objects.filter(pk__in=admitted.values("development_id")).select_related("person"):
        meeting = dates[dev.pk]["admission_meeting"]
        converted = None
        if "conversion_approval" in dates[dev.pk]:
            converted = party_standing_starts(probation_end(meeting).on).on
        status = MembershipStatus.FULL if converted else MembershipStatus.PROBATIONARY
        rows.append(
            Membership(
                person=dev.person,
                organization_id=dev.branch_id,
                status=status,
                applied_on=dev.started_on,
                admitted_on=meeting,
                converted_on=converted,
                started_on=meeting,
                start_cause=StartCause.ADMITTED,
            )
        )
        people[dev.person_id] = PoliticalStatus.MEMBER if converted else PoliticalStatus.PROBATIONARY
    Membership.objects.bulk_create(rows)
    for status in set(people.values()):
        Person.objects.filter(pk__in=[pk for pk, s in people.items() if s == status]).update(political_status=status)
    return len(rows)
