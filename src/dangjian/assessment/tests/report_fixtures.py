"""A committee with two branches whose secretaries report, raters in every group, for the 述职评议 tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangjian.assessment import report_services as services
from dangjian.core import context
from dangjian.orgs.models import CommitteePost, CommitteeTerm
from dangjian.testing import make_member, make_tree, make_user


@dataclass
class World:
    t: object
    office: object
    sec1: object  # the user of branch1's secretary
    sec2: object
    p1: object
    p2: object
    raters: dict  # group -> list of users


def secretary_of(org, person, elected_on=date(2024, 1, 1)) -> None:
    term = CommitteeTerm.objects.create(organization=org, elected_on=elected_on, ends_on=date(2029, 1, 1))
    CommitteePost.objects.create(term=term, person=person, post="secretary")


def world() -> World:
    t = make_tree()
    p1 = make_member(t.branch1, "书记甲")
    p2 = make_member(t.branch2, "书记乙")
    secretary_of(t.branch1, p1)
    secretary_of(t.branch2, p2)
    office = make_user("office_root_r", "office", t.root)
    sec1 = make_user("rsec1", "secretary", t.branch1, person=p1)
    sec2 = make_user("rsec2", "secretary", t.branch2, person=p2)
    raters = {}
    for i, group in enumerate(("committee", "members", "staff")):
        raters[group] = [
            make_user(f"rater{i}{j}", "member", t.branch1, person=make_member(t.branch1, f"测评{i}{j}"))
            for j in range(3)
        ]
    return World(t, office, sec1, sec2, p1, p2, raters)


def meeting(w: World, *, open_it: bool = True):
    with context.acting(w.office):
        m = services.create_meeting(
            w.office, w.t.root.pk, year=2026, held_on=date(2027, 1, 10), title="2026年度述职评议"
        )
        services.add_reports(w.office, m.pk, [(p, o) for p, _n, o, _on in services.candidates(m)])
        for group, users in w.raters.items():
            services.add_raters(w.office, m.pk, group, [u.person_id for u in users])
        third = make_member(w.t.office_branch, "书记丙")
        services.add_raters(w.office, m.pk, "secretaries", [w.p1.pk, w.p2.pk, third.pk])
        if open_it:
            services.open_voting(w.office, m.pk)
    m.refresh_from_db()
    return m
