"""Each member's class hours for the year, study records and the hour rates per meeting kind."""

from __future__ import annotations

from datetime import date

from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import WHOLE_TREE, can, scope_for
from dangjian.core.paging import paginate
from dangjian.core.ruletable import NoRuleInForce, Rule
from dangjian.core.scoping import require_perm
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person

from .. import services
from ..figures import with_hours, with_required_hours
from ..forms import HourRateForm, StudyForm
from ..rule_data import LEADER_HOURS, TALKS_RULES
from ..services import CHANGE, VIEW
from .common import PAGE, form_page, org_filter, year_of

MEMBERS = ("member", "probationary")


def _rule_of(key: str, on: date) -> tuple[Rule | None, str]:
    """The rule in force on ``on``, or no rule and the sentence that says none is known for that date."""
    try:
        return TALKS_RULES.rule(key, on), ""
    except NoRuleInForce as exc:
        return None, exc.message


@require_perm(VIEW)
def hours(request: HttpRequest) -> HttpResponse:
    """Each member's class hours for the year; under the minimum first (党员教育管理工作条例 art. 20).

    Secretaries and committee members (a committee post in a term in office during the year) are held to the
    higher figure of the 2014—2018 全国党员教育培训工作规划 (``LEADER_HOURS``); a year before any known rule shows
    the hours with the sentence that no rule is known, and no member is marked short.
    """
    year = year_of(request)
    year_end = date(year, 12, 31)
    minimum, no_rule = _rule_of("training.min_hours_per_year", year_end)
    leader_minimum, _no_leader_rule = _rule_of(LEADER_HOURS, year_end)
    people = Person.objects.visible_to(request.user, VIEW).filter(political_status__in=MEMBERS)
    org = org_filter(request)
    if org is not None:
        people = people.filter(
            pk__in=Membership.objects.current()
            .filter(organization__in=Organization.objects.subtree(org))
            .values("person_id")
        )
    rows = with_required_hours(
        with_hours(people, year).select_related("department"),
        year,
        minimum.value if minimum else None,
        leader_minimum.value if leader_minimum else None,
    )
    short = request.GET.get("short") == "1"
    if short:
        rows = rows.filter(hours__lt=F("required_hours"))
    page = paginate(request, rows.order_by("hours", "sort_key", "name", "id"), PAGE)
    return render(
        request,
        "talks/hours.html",
        {
            "page": page,
            "year": year,
            "minimum": minimum,
            "leader_minimum": leader_minimum,
            "no_rule": no_rule,
            "org": org,
            "short": short,
            "can_change": scope_for(request.user, CHANGE).has_orgs,
        },
    )


@require_perm(CHANGE)
def study_create(request: HttpRequest) -> HttpResponse:
    people = Person.objects.visible_to(request.user, CHANGE).filter(political_status__in=MEMBERS)
    form = StudyForm(request.POST or None, people=people.order_by("sort_key", "name"))
    return form_page(
        request,
        form,
        lambda data: services.add_study(request.user, data),
        success=gettext_lazy("学习记录已登记"),
        title=gettext_lazy("登记学习记录"),
        back="life:hours",
    )


@require_perm(CHANGE)
def hour_rates(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "rules.edit", WHOLE_TREE):  # the rates count for every organisation
        raise Http404
    return form_page(
        request,
        HourRateForm(request.POST or None),
        lambda data: services.set_hour_rates(request.user, data),
        success=lambda n: _("已更新 %(n)d 项学时标准") % {"n": n},
        title=gettext_lazy("学时标准"),
        back="life:hours",
    )
