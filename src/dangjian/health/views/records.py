"""Health officers' pages: people in scope with consent and checkup status, a person's record, consent.

Everyone without "health.values" gets 404 on every page here (PIPL art. 28); a health officer gets 404 for
people outside the subtree of his assignment. Each display or export of a record is an audit event.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.downloads import attachment
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.people.models import Person

from .. import services, trend
from ..display import grouped
from ..export import record_workbook
from ..forms import BulkConsentForm, ConsentForm, FilterForm
from ..models import Checkup, Consent, ScreeningResult

VALUES = services.VALUES


def people_in_scope(user, data, year: int):
    orgs, departments = services.units_in_scope(user)
    form = FilterForm(data, orgs=orgs, departments=departments, initial={"year": year})
    people = Person.objects.visible_to(user, VALUES)
    if form.is_valid():
        d = form.cleaned_data
        year = d.get("year") or year
        if d.get("q"):
            people = people.filter(name__contains=d["q"].strip())
        if d.get("org") or d.get("department"):
            people = services.in_unit(people, organization=d.get("org"), department=d.get("department"))
    consents = Consent.objects.filter(person=OuterRef("pk"), year=year)
    checkups = Checkup.objects.filter(person=OuterRef("pk"), year=year)
    people = people.annotate(
        consent_given=Subquery(consents.values("given_on")[:1]),
        consent_withdrawn=Subquery(consents.values("withdrawn_on")[:1]),
        checked_on=Subquery(checkups.values("checked_on")[:1]),
    )
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    filters = {
        "consent": Exists(consents.filter(withdrawn_on__isnull=True)),
        "withdrawn": Exists(consents.filter(withdrawn_on__isnull=False)),
        "no_consent": ~Exists(consents),
        "checkup": Exists(checkups),
        "no_checkup": ~Exists(checkups),
    }
    if status in filters:
        people = people.filter(filters[status])
    return form, people.select_related("department").order_by("sort_key", "name", "pk"), year


@require_perm(VALUES)
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form, people, year = people_in_scope(request.user, request.GET or None, today.year)
    page = paginate(request, people, 50, keep=request.GET)
    return render(
        request,
        "health/index.html",
        {
            "form": form,
            "page": page,
            "year": year,
        },
    )


@require_perm(VALUES)
def person_record(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(Person.objects.select_related("department"), request.user, VALUES, pk=pk)
    checkups = [(c, grouped(values)) for c, values in services.view_record(request.user, person)]
    consents = Consent.objects.filter(person=person).select_related("given_recorded_by", "withdrawn_recorded_by")
    results = list(ScreeningResult.objects.filter(person=person).order_by("year"))
    return render(
        request,
        "health/person.html",
        {
            "person": person,
            "age": person.age_on(timezone.localdate()),
            "checkups": checkups,
            "consents": consents,
            "consent_form": ConsentForm(),
            "trend_rows": trend.year_rows(results),
            "cvd_chart": trend.cvd_chart(results),
        },
    )


@require_perm(VALUES)
def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(Person.objects.all(), request.user, VALUES, pk=pk)
    data = record_workbook(request.user, person)
    return attachment(data, f"health-record-{person.pk}.xlsx")


@require_perm(VALUES)
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(Person.objects.all(), request.user, VALUES, pk=pk)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        action = services.give_consent if d["action"] == "give" else services.withdraw_consent
        try:
            action(request.user, person.pk, d["year"], d["on"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            done = _("已登记同意") if d["action"] == "give" else _("已撤回同意，该人员不再纳入该年度筛查")
            messages.success(request, done)
            return redirect("health:person", pk=person.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": f"{person.name} · 健康筛查知情同意",
            "cancel_url": reverse("health:person", args=[person.pk]),
        },
    )


@require_perm(VALUES)
def consent_bulk(request: HttpRequest) -> HttpResponse:
    orgs, departments = services.units_in_scope(request.user)
    form = BulkConsentForm(request.POST or None, orgs=orgs, departments=departments)
    preview = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        people = services.people_of_unit(request.user, organization=d["org"], department=d["department"])
        ids = list(people.values_list("pk", flat=True))
        if not ids:
            form.add_error(None, _("所选范围内没有您负责的人员"))
        elif d["confirm"]:
            try:
                done, already = services.give_consent_bulk(request.user, ids, d["year"], d["on"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("已为%(done)d人登记%(year)s年度同意（%(already)d人此前已同意）")
                    % {"done": done, "year": d["year"], "already": already},
                )
                return redirect(reverse("health:index") + f"?year={d['year']}")
        else:
            preview = len(ids)
            form.data = form.data.copy()
            form.data["confirm"] = "on"
    return render(request, "health/consent_bulk.html", {"form": form, "preview": preview})
