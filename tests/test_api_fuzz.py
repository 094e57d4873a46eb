"""Property-based fuzzing of the JSON API from its own OpenAPI schema: bad input never gives a 500.

The core operations (organisations, persons, memberships, tokens, role assignments) get 25 examples each; the
domain routers' operations, three times as many, get 10 each, with one object of each kind in the database so
that ids the fuzzer tries (small numbers first) reach real rows. Every operation is in exactly one of the two.
"""

from datetime import date, timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from dangjian.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CORE_TAGS = ["auth", "organizations", "persons", "memberships", "role-assignments"]
core = schema.include(tag=CORE_TAGS)
domains = schema.exclude(tag=CORE_TAGS)


@pytest.fixture
def auth_header(personas):
    """The office's token: the fuzzer reaches every organisation."""
    return {"Authorization": f"Bearer {personas.token(personas.office)}"}


@pytest.fixture
def domain_header(personas, auth_header):
    """One meeting, development case, dues payment, care event, hardship entry, practical matter with a milestone,
    appraisal, lost-contact case and contact point (with a visit) of the first branch."""
    from django.utils import timezone

    from dangjian.appraisal.services import open_appraisal
    from dangjian.care.hardship import register
    from dangjian.care.matter_services import add_milestone, save_matter
    from dangjian.care.services import record_event
    from dangjian.core import context
    from dangjian.development.services import open_case
    from dangjian.dues.services import record_payment
    from dangjian.meetings.services import plan_meeting
    from dangjian.orgs.models import CommitteePost, CommitteeTerm
    from dangjian.talks.services import assign_contact_point, record_visit
    from dangjian.testing import make_person
    from dangjian.transfers.lost import open_case as open_lost

    office, branch, member = personas.office, personas.tree.branch1, personas.member.person
    today = timezone.localdate()
    start = timezone.now() - timedelta(days=1)
    with context.acting(office):
        plan_meeting(
            office, branch.pk, {"kind": "members_meeting", "title": "会", "starts_at": start, "ends_at": start}
        )
        open_case(office, make_person("申请人").pk, branch.pk, today)
        month = today.replace(day=1)
        record_payment(office, member.pk, {"amount": "10", "month_from": month, "month_to": month, "paid_on": today})
        record_event(office, member.pk, "illness", today)
        open_lost(office, member.pk, last_contact_on=date(today.year - 1, 1, 1))
        # a contact point's leader sits on the 党委 (talks.services.leaders)
        term = CommitteeTerm.objects.create(organization=personas.tree.root, elected_on=today, ends_on=today)
        CommitteePost.objects.create(term=term, person=member, post="member")
        point = assign_contact_point(office, {"leader": member, "organization": branch, "since": today, "until": None})
        record_visit(office, point.pk, {"visited_on": today, "summary": "调研"})
        register(office, member.pk, today, "困难")
        matter = save_matter(
            office, None, {"organization": branch, "owner": member, "title": "实事", "year": today.year}
        )
        add_milestone(office, matter.pk, "节点", today)
        open_appraisal(office, branch.pk, today.year)
    return auth_header


@pytest.mark.django_db(transaction=True)
@core.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail_with_a_server_error(case, auth_header):
    case.call_and_validate(headers=auth_header, checks=[not_a_server_error])


@pytest.mark.django_db(transaction=True)
@domains.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_a_domain_router_fail_with_a_server_error(case, domain_header):
    case.call_and_validate(headers=domain_header, checks=[not_a_server_error])


def test_the_fuzzing_covers_every_operation():
    from dangjian.api.urls import api

    paths = api.get_openapi_schema()["paths"]
    every = {(method.upper(), path) for path, ops in paths.items() for method in ops}

    def operations(part):
        return {(op.method.upper(), op.path) for op in (r.ok() for r in part.get_all_operations())}

    fuzzed_core, fuzzed_domains = operations(core), operations(domains)
    assert fuzzed_core | fuzzed_domains == every and not fuzzed_core & fuzzed_domains
    assert len(fuzzed_core) == 17  # the core API before the domain routers
    assert len(fuzzed_domains) >= 72  # every domain router's reads and writes
