"""Property-based fuzzing of the JSON API from its own OpenAPI schema: bad input never gives a 500."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from dangjian.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def auth_header(db):
    from dangjian.accounts.models import ApiToken
    from dangjian.testing import make_member, make_tree, make_user

    t = make_tree()
    make_member(t.branch1, "甲")
    office = make_user("office", "office", t.root)
    return {"Authorization": f"Bearer {ApiToken.issue(office)}"}


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail_with_a_server_error(case, auth_header):
    case.call_and_validate(headers=auth_header, checks=[not_a_server_error])
