"""Leaders' screening figures: counts per organisation and department, groups under five withheld.

Open to everyone with "health.aggregates" (leaders, the office, secretaries, health officers), each within the
subtree of that role's assignment. The page holds no names and no individual values, so viewing it is not a read
of anyone's health record and is not audited as one (the project audits record reads and exports, not counts).
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import require_perm

from ..aggregates import AGGREGATES, MIN_GROUP, aggregates, years_with_results


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


@require_perm(AGGREGATES)
def aggregate_page(request: HttpRequest) -> HttpResponse:
    years = years_with_results(request.user)
    default = years[0] if years else timezone.localdate().year
    form = YearForm(request.GET or None, initial={"year": default})
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or default
    return render(
        request,
        "health/aggregates.html",
        {"form": form, "years": years, "year": year, "data": aggregates(request.user, year), "min_group": MIN_GROUP},
    )
