"""Structural warnings for many organisations at once, in one query."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import CommitteeTerm, Organization, TermExtension
from .rules import StructuralWarning, structural_warnings

FIELDS = (
    "pk",
    "name",
    "kind",
    "dissolved_on",
    "full_members",
    "total_members",
    "has_committee",
    "term_ends_on",
    "setting",
)


def with_structure(organizations: QuerySet, on: date | None = None) -> QuerySet:
    """``organizations`` with what the warnings read, each a subquery on one organisation's own rows.

    Correlated per organisation (index lookups on the membership's and the term's organisation) rather than a
    grouping over the memberships of a list of ids: the home page reads the first 500 organisations of a scope
    in this one statement, with no list of 500 ids sent and planned on every visit.

    Members whose party rights are stopped on ``on`` (停止党籍, 党员教育管理工作条例 第24条; today by default) are not
    counted: the ≥3 and ≥7 full members of the structure rules are members with their rights (one EXISTS each).
    """
    from dangjian.people.models import Membership

    def counted(**conditions) -> Coalesce:
        rows = (
            Membership.objects.current()
            .without_rights_stopped(on)
            .filter(organization=OuterRef("pk"), **conditions)
            .order_by()
            .values("organization")
            .annotate(n=Count("*"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    terms = CommitteeTerm.objects.filter(organization=OuterRef("pk"))
    latest = terms.order_by("-elected_on")
    # an approved early or late election moves the latest term's due date (意见 2018 第二条)
    shifted = TermExtension.objects.live().filter(term=OuterRef("latest_term")).order_by("-approved_on", "-id")
    return organizations.annotate(
        full_members=counted(status="full"),
        total_members=counted(),
        # a committee elected, not a secretary-only term (机关基层组织工作条例 2019 第7条; CommitteeTerm.has_committee)
        has_committee=Exists(terms.filter(has_committee=True)),
        latest_term=Subquery(latest.values("pk")[:1]),
    ).annotate(
        # the latest term's end only (a term past its end still counts as a committee: see the rules)
        term_ends_on=Coalesce(Subquery(shifted.values("new_ends_on")[:1]), Subquery(latest.values("ends_on")[:1])),
    )


def warnings_of(rows: Iterable[tuple], today: date) -> list[tuple[tuple, list[StructuralWarning]]]:
    """(row, warnings) for each row of ``with_structure(...).values_list(*FIELDS)`` that has any."""
    out = []
    for row in rows:
        _pk, _name, kind, dissolved_on, full, total, has_committee, term_ends_on, setting = row
        if dissolved_on and dissolved_on <= today:
            continue
        ws = structural_warnings(
            kind=kind,
            full_members=full,
            total_members=total,
            has_committee=has_committee,
            term_ends_on=term_ends_on,
            today=today,
            setting=setting,
        )
        if ws:
            out.append((row, ws))
    return out


def warnings_for(orgs: list[Organization], today: date) -> dict[Organization, list[StructuralWarning]]:
    if not orgs:
        return {}
    by_pk = {o.pk: o for o in orgs}
    rows = with_structure(Organization.objects.filter(pk__in=by_pk), today).values_list(*FIELDS)
    found = {row[0]: ws for row, ws in warnings_of(rows, today)}
    return {org: found[org.pk] for org in orgs if org.pk in found}
