from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.orgs import services
from dangjian.orgs.models import CommitteeTerm, Organization
from dangjian.orgs.rules import structural_warnings, term_end
from dangjian.testing import make_member, make_tree, make_user

TODAY = date(2026, 11, 24)


def codes(**kw):
    base = dict(kind="branch", full_members=5, total_members=5, has_committee=False, term_ends_on=None, today=TODAY)
    base.update(kw)
    return {w.code for w in structural_warnings(**base)}


def test_a_branch_needs_three_full_members():
    assert "too_few" in codes(full_members=2)
    assert "too_few" not in codes(full_members=3)


def test_a_branch_over_fifty_members_is_warned():
    assert "too_many" not in codes(full_members=40, total_members=50, has_committee=True)
    assert "too_many" in codes(full_members=40, total_members=51, has_committee=True)


def test_seven_full_members_need_a_committee():
    assert "no_committee" not in codes(full_members=6)
    assert "no_committee" in codes(full_members=7)
    assert "no_committee" not in codes(full_members=7, has_committee=True)


def test_an_expired_term_is_warned_from_the_day_after_it_ends():
    assert "term_expired" not in codes(term_ends_on=TODAY, has_committee=True)
    assert "term_expired" in codes(term_ends_on=date(2026, 11, 23), has_committee=True)


def test_terms_are_three_years_for_branches_and_five_for_committees():
    assert term_end("branch", date(2024, 3, 1)) == date(2027, 3, 1)
    assert term_end("general_branch", date(2024, 3, 1)) == date(2027, 3, 1)
    assert term_end("committee", date(2024, 3, 1)) == date(2029, 3, 1)
    assert term_end("branch", date(2024, 2, 29)) == date(2027, 2, 28)


@pytest.mark.django_db
def test_the_organisation_page_shows_warnings_and_election_countdown(client):
    t = make_tree()
    for i in range(7):
        make_member(t.branch1, f"成员{i}")
    office = make_user("office", "office", t.root)
    client.force_login(office)
    html = client.get(reverse("orgs:detail", args=[t.branch1.pk])).content.decode()
    assert 'data-warning="no_committee"' in html
    assert "支部工作条例" in html or "机关基层组织工作条例" in html
    members = list(t.branch1.memberships.values_list("person_id", flat=True))
    elected = timezone.localdate() - timedelta(days=400)  # a term still running whatever the day the suite runs
    # a secretary alone is no committee: 7 full members still need one (机关基层组织工作条例 2019 第7条)
    services.record_term(office, t.branch1.pk, elected - timedelta(days=1), [(members[0], "secretary")])
    html = client.get(reverse("orgs:detail", args=[t.branch1.pk])).content.decode()
    assert 'data-warning="no_committee"' in html
    posts = [(members[0], "secretary"), (members[1], "organizer"), (members[2], "publicity")]
    services.record_term(office, t.branch1.pk, elected, posts)
    html = client.get(reverse("orgs:detail", args=[t.branch1.pk])).content.decode()
    assert 'data-warning="no_committee"' not in html
    term = CommitteeTerm.objects.get(organization=t.branch1, elected_on=elected)
    assert term.ends_on == term_end("branch", elected) and term.ends_on > timezone.localdate()
    assert "距换届" in html


@pytest.mark.django_db
def test_organisations_are_dissolved_not_deleted_and_only_when_empty():
    t = make_tree()
    office = make_user("office", "office", t.root)
    make_member(t.branch2, "留守")
    with pytest.raises(ValidationError, match="仍有党员"):
        services.dissolve_organization(office, t.branch2.pk, TODAY, "合并")
    services.dissolve_organization(office, t.office_branch.pk, TODAY, "机构调整")
    org = Organization.objects.get(pk=t.office_branch.pk)
    assert org.dissolved_on == TODAY
    assert not Organization.objects.active(date(2026, 11, 25)).filter(pk=org.pk).exists()
    from dangjian.people.models import Membership

    with pytest.raises(PermissionError):
        Membership.objects.all().delete()


@pytest.mark.django_db
def test_creating_an_organisation_checks_the_kind_under_its_parent():
    t = make_tree()
    office = make_user("office", "office", t.root)
    with pytest.raises(ValidationError):
        services.create_organization(office, t.group1.pk, {"kind": "branch", "code": "X1", "name": "错"})
    org = services.create_organization(office, t.general.pk, {"kind": "branch", "code": "X2", "name": "三支部"})
    assert Organization.objects.get_parent(org).pk == t.general.pk
    assert org.path.startswith(t.general.path)


@pytest.mark.django_db
def test_a_secretary_cannot_create_outside_the_branch():
    t = make_tree()
    sec = make_user("sec", "secretary", t.branch1)
    from django.http import Http404

    with pytest.raises(Http404):
        services.create_organization(sec, t.branch2.pk, {"kind": "group", "code": "G9", "name": "越权小组"})


@pytest.mark.django_db
def test_the_department_page_shows_covering_branches_within_scope(client):
    t = make_tree()
    sec = make_user("sec", "secretary", t.branch1)
    office = make_user("office", "office", t.root)
    client.force_login(office)
    html = client.get(reverse("orgs:departments")).content.decode()
    assert "一室" in html and "二室" in html and "一支部" in html
    client.force_login(sec)
    html = client.get(reverse("orgs:departments")).content.decode()
    assert "一室" in html and "二室" not in html
