"""Talks of the year with each branch's coverage, and recording a talk."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import scope_for
from dangjian.core.paging import paginate
from dangjian.core.ruletable import NoRuleInForce
from dangjian.core.scoping import require_perm
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person
from dangjian.rules import services as rule_store

from .. import services
from ..figures import talk_coverage
from ..forms import TalkForm
from ..models import Talk
from ..rule_data import TALKS_RULES
from ..services import CHANGE, VIEW
from .common import PAGE, form_page, year_of


@require_perm(VIEW)
def talks(request: HttpRequest) -> HttpResponse:
    year = year_of(request)
    qs = (
        Talk.objects.visible_to(request.user)
        .filter(held_on__year=year)
        .select_related("talker", "talkee", "organization")
    )
    page = paginate(request, qs, PAGE, keep={"year": year})
    scope = scope_for(request.user, VIEW)
    coverage = []
    try:
        rule = rule_store.table(TALKS_RULES).rule("talks.min_per_member_per_year", date(year, 12, 31))
    except NoRuleInForce as exc:  # a year before the first known rule: the talks, and no coverage to judge
        rule, no_rule = None, exc.message
    else:
        no_rule = ""
    if scope.has_orgs and rule is not None:
        memberships = Membership.objects.current().filter(scope.org_q("organization__path"))
        coverage = talk_coverage(memberships, year, rule.value)[:200]
    return render(
        request,
        "talks/talks.html",
        {
            "page": page,
            "year": year,
            "coverage": coverage,
            "rule": rule,
            "no_rule": no_rule,
            "can_change": scope_for(request.user, CHANGE).has_orgs,
        },
    )


@require_perm(CHANGE)
def talk_create(request: HttpRequest) -> HttpResponse:
    branches = Organization.objects.visible_to(request.user, CHANGE).active().filter(kind="branch").order_by("path")
    people = Person.objects.visible_to(request.user, CHANGE).order_by("sort_key", "name")
    form = TalkForm(request.POST or None, branches=branches, people=people)
    return form_page(
        request,
        form,
        lambda data: services.record_talk(request.user, data),
        success=gettext_lazy("谈心谈话已记录"),
        title=gettext_lazy("记录谈心谈话"),
        back="life:talks",
    )
