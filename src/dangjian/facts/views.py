"""事实与指标: every registered fact with its definition, and the values of any fact for an organisation and year.

The office's page (``facts.view``), scoped like every page: the chooser offers the organisations of the user's
scope, and an organisation outside it is 404. It only iterates the registry, so a new provider appears here
without a change to this module.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangjian.core.contributions import Period, fact_providers
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization, OrgKind

from .labels import INPUT_LABELS

VIEW = "facts.view"
FIRST_YEAR = 2015


def _year(raw: str | None) -> int:
    today = timezone.localdate()
    return int(raw) if raw and raw.isdigit() and FIRST_YEAR <= int(raw) <= today.year else today.year


def _years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def _app_name(label: str) -> str:
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


def _catalogue() -> list[tuple[str, list]]:
    """(app name, [(provider, definition), ...]) in registry order."""
    by_app: dict[str, list] = defaultdict(list)
    for app, provider in fact_providers():
        by_app[_app_name(app)].extend((provider, d) for d in provider.definitions)
    return list(by_app.items())


def _choices(user):
    return (
        Organization.objects.visible_to(user, VIEW)
        .exclude(kind=OrgKind.GROUP)
        .order_by("path")
        .only("pk", "name", "depth")
    )


@require_GET
@require_perm(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    """The catalogue; choosing an organisation and a year opens its values."""
    raw = request.GET.get("org", "")
    if raw:
        org = get_visible(Organization.objects.all(), request.user, VIEW, pk=raw)
        query = {"year": _year(request.GET.get("year"))}
        return redirect(f"{reverse('facts:org', args=[org.pk])}?{urlencode(query)}")
    return render(
        request,
        "facts/index.html",
        {
            "catalogue": [(app, [d for _p, d in entries]) for app, entries in _catalogue()],
            "orgs": _choices(request.user),
            "years": _years(),
            "year": _year(None),
        },
    )


@require_GET
@require_perm(VIEW)
def org_values(request: HttpRequest, org_id: int) -> HttpResponse:
    """Every fact's value for one organisation and year (or the one fact named by ``?key=``)."""
    org = get_visible(Organization.objects.all(), request.user, VIEW, pk=org_id)
    year = _year(request.GET.get("year"))
    only = request.GET.get("key", "")
    period = Period.year(year)
    sections = []
    for app, entries in _catalogue():
        rows = []
        computed: dict[int, dict] = {}
        for provider, definition in entries:
            if only and definition.key != only:
                continue
            if id(provider) not in computed:
                computed[id(provider)] = {v.key: v for v in provider.compute([org], period)}
            value = computed[id(provider)].get(definition.key)
            rows.append((definition, value, _breakdown(definition, value), _inputs(value)))
        if rows:
            sections.append((app, rows))
    return render(
        request,
        "facts/org.html",
        {
            "org": org,
            "year": year,
            "years": _years(),
            "orgs": _choices(request.user),
            "sections": sections,
            "only": only,
        },
    )


def _breakdown(definition, value) -> list[tuple[str, object]]:
    if value is None or not value.breakdown:
        return []
    labels = definition.breakdown_labels
    return [(labels.get(k, k), n) for k, n in value.breakdown.items()]


def _inputs(value) -> list[tuple[str, object]]:
    if value is None:
        return []
    return [(INPUT_LABELS.get(k, k), v) for k, v in value.inputs.items() if k != "withheld"]
