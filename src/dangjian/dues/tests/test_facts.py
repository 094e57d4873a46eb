"""Dues facts: members in arrears and the share whose last month is paid, per subtree, as the arrears page says."""

from __future__ import annotations

from datetime import date

from dangjian.core.contributions import Period
from dangjian.core.tree_paths import subtree_q
from dangjian.dues import services
from dangjian.dues.arrears import arrears_rows
from dangjian.dues.facts import DuesFacts
from dangjian.dues.ledger import PAID, PARTIAL, WAIVED, compute
from dangjian.people.models import Membership


def pay(world, person, m_from, m_to, amount="10"):
    data = {"amount": amount, "month_from": m_from, "month_to": m_to, "paid_on": date(2026, 1, 10)}
    return services.record_payment(world.office, person.pk, data)


def test_arrears_and_paid_rate_for_a_past_year_are_read_on_its_last_month(world):
    w = world
    pay(w, w.member, date(2024, 3, 1), date(2025, 12, 1))  # paid through December
    pay(w, w.other, date(2025, 1, 1), date(2025, 6, 1))  # July..December unpaid: 6 months
    pay(w, w.sec1.person, date(2025, 12, 1), date(2025, 12, 1))  # only December: not 6 in a row
    # the branch2 secretary has paid nothing at all
    t = w.t
    orgs = [t.root, t.general, t.branch1, t.branch2, t.office_branch]
    v = {(x.key, x.organization_id): x for x in DuesFacts().compute(orgs, Period.year(2025))}
    arrears = "dues.arrears_members"
    assert [v[arrears, o.pk].value for o in orgs] == [2, 2, 0, 2, 0]
    assert v[arrears, t.root.pk].inputs == {"month": "2025-12", "consecutive_months": 6}
    rate = "dues.paid_rate"
    assert v[rate, t.branch1.pk].inputs == {"month": "2025-12", "owing": 2, "paid": 2}
    assert v[rate, t.branch2.pk].value == 0.0
    assert v[rate, t.general.pk].value == 50.0
    assert v[rate, t.office_branch.pk].value is None

    # the arrears page lists the same people on the day after the year
    under_general = Membership.objects.current().filter(subtree_q(t.general.path, "organization__path"))
    assert len(arrears_rows(under_general, date(2026, 1, 1))) == v[arrears, t.general.pk].value
    # and the ledger of December marks the same members as having paid (fully or in part)
    december = compute(under_general, [date(2025, 12, 1)])[date(2025, 12, 1)]
    assert sum(line.status in (PAID, PARTIAL, WAIVED) for line in december) == v[rate, t.general.pk].inputs["paid"]
