"""The personas are what their module promises: tests across the apps lean on these relations."""

from __future__ import annotations

import pytest

from dangjian.accounts.models import ApiToken
from dangjian.accounts.scope import visible
from dangjian.people.models import Person

pytestmark = pytest.mark.django_db


def names_seen_by(user) -> set[str]:
    return set(visible(Person.objects.all(), user).values_list("name", flat=True))


def test_each_secretary_sees_her_own_branch_and_the_office_sees_both(personas):
    assert names_seen_by(personas.secretary) == {"甲一", "甲二"}
    assert names_seen_by(personas.other_secretary) == {"乙二"}
    assert names_seen_by(personas.office) == {"甲一", "甲二", "乙二"}
    t = personas.tree
    assert personas.secretary.person.memberships.get().organization == t.branch1
    assert personas.member.person.memberships.get().organization == t.branch1
    assert personas.other_secretary.person.memberships.get().organization == t.branch2


def test_a_personas_token_is_issued_once_and_calls_the_api_as_that_persona(client, personas):
    headers = personas.auth(personas.secretary)
    assert personas.auth(personas.secretary) == headers
    assert ApiToken.objects.filter(user=personas.secretary).count() == 1
    branch_b = client.get(f"/api/v1/organizations/{personas.tree.branch2.pk}", **headers)
    assert branch_b.status_code == 404
    other = personas.auth(personas.other_secretary)
    assert client.get(f"/api/v1/organizations/{personas.tree.branch2.pk}", **other).status_code == 200
