"""Who the 领导 list of a new contact point offers (issue 13 §3: the list was empty).

党建联系点 are kept by 党员领导干部, in practice the members of the party committee's 班子: "每个党委班子成员都要
结合分管工作，确定1-2个基层支部作为自己的党建工作联系点" (党委班子成员党建联系点制度, a common local rule: S); a
机关党委's rule says the same of its members ("每位党委委员固定联系1-4个党支部"). So the list offers the members
of the sitting term of a 党委 in the office's tree, and the people whose accounts hold the leader role.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.orgs.models import CommitteePost, CommitteeTerm
from dangjian.talks import services as talk_services
from dangjian.talks.models import ContactPoint
from dangjian.testing import login_with_second_factor, make_member, make_user

pytestmark = pytest.mark.django_db


def _term(org, elected_on, **posts):
    ends_on = date(elected_on.year + 5, 1, 1)
    term = CommitteeTerm.objects.create(organization=org, elected_on=elected_on, ends_on=ends_on)
    for i, (post, person) in enumerate(posts.items()):
        CommitteePost.objects.create(term=term, person=person, post=post, order=i)
    return term


def _offered(client, user):
    login_with_second_factor(client, user)
    response = client.get(reverse("life:contact_point_create"))
    assert response.status_code == 200
    return {p.name for p in response.context["form"].fields["leader"].queryset}


def test_the_institute_committees_sitting_members_are_offered_as_leaders(client, personas):
    t = personas.tree
    chief = make_member(t.office_branch, "党委书记")
    deputy = make_member(t.branch2, "党委副书记")
    former = make_member(t.branch1, "上届委员")
    branch_secretary = make_member(t.branch1, "支部书记")
    _term(t.root, date(2019, 6, 1), secretary=chief, member=former)
    _term(t.root, date(2024, 6, 1), secretary=chief, deputy_secretary=deputy)  # the sitting term
    _term(t.branch1, date(2024, 6, 1), secretary=branch_secretary)  # a branch's secretary is no 党委 member
    offered = _offered(client, personas.office)
    assert offered == {"党委书记", "党委副书记"}
    # the form then accepts one of them, and the point is written
    response = client.post(
        reverse("life:contact_point_create"),
        {"leader": deputy.pk, "organization": t.branch1.pk, "since": "2026-01-01", "until": ""},
    )
    assert response.status_code == 302
    assert ContactPoint.objects.get().leader == deputy


def test_a_person_whose_account_holds_the_leader_role_is_offered(client, personas):
    t = personas.tree
    leader = make_member(t.branch2, "所领导")
    make_user("leader", "leader", t.root, person=leader)
    assert _offered(client, personas.office) == {"所领导"}


def test_a_committee_member_who_left_the_party_is_not_offered(client, personas):
    t = personas.tree
    gone = make_member(t.branch2, "已出党")
    gone.memberships.update(ended_on=date(2025, 1, 1))
    _term(t.root, date(2024, 6, 1), secretary=gone)
    assert _offered(client, personas.office) == set()


def test_an_empty_list_says_why_in_chinese(client, personas):
    login_with_second_factor(client, personas.office)
    response = client.post(
        reverse("life:contact_point_create"),
        {"leader": "", "organization": personas.tree.branch1.pk, "since": "2026-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["leader"] == [
        "暂无可选的领导：党建联系点由党委委员或持有领导角色账号的党员领导干部联系，请先录入党委届次及委员"
    ]


def test_the_service_refuses_a_leader_outside_the_list(personas):
    t = personas.tree
    plain = make_member(t.branch1, "普通党员")
    with pytest.raises(ValidationError) as err:
        talk_services.assign_contact_point(
            personas.office, {"leader": plain, "organization": t.branch2, "since": date(2026, 1, 1), "until": None}
        )
    assert "leader" in err.value.message_dict
    assert not ContactPoint.objects.exists()
