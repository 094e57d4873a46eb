from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import can
from dangjian.core.forms import apply_errors, narrow_people
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, MembershipStatus, Person

from .. import documents, services
from ..bulk import bulk_status
from ..filters import filter_cases
from ..forms import (
    CancellationForm,
    ContactForm,
    DepartureForm,
    ExtensionForm,
    OpenForm,
    OverrideForm,
    ReviewForm,
    StepForm,
)
from ..models import Development
from ..timeline import DONE, SETTLED, cancellation_of, table_of, timeline


def _can_change(request: HttpRequest, dev: Development) -> bool:
    return Development.objects.visible_to(request.user, services.CHANGE).filter(pk=dev.pk).exists()


@require_perm(services.VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    f = filter_cases(request.user, request.GET, today)
    page = paginate(request, f.cases.select_related("person", "branch"), 50, keep=f.params)
    return render(
        request,
        "development/list.html",
        {
            "page": page,
            "rows": with_states(page.object_list, today),
            "form": f.form,
            "org": f.org,
            "today": today,
            "export_query": page.filters.urlencode(),
            "can_open": Organization.objects.visible_to(request.user, services.CHANGE).filter(kind="branch").exists(),
        },
    )


def with_states(cases, today) -> list[tuple[Development, object]]:
    """The page's cases with their live status (five queries for the page, see ``bulk``)."""
    cases = list(cases)
    states = bulk_status(Development.objects.filter(pk__in=[d.pk for d in cases]), today) if cases else {}
    return [(d, states.get(d.pk)) for d in cases]


@require_perm(services.CHANGE)
def case_open(request: HttpRequest) -> HttpResponse:
    branches = Organization.objects.visible_to(request.user, services.CHANGE).active().filter(kind="branch")
    people = Person.objects.visible_to(request.user, "people.view").exclude(
        political_status__in=("member", "probationary")
    )
    # a committee office sees a whole group: offer ?person=<pk> or a search (?q=), never every person
    people, search = narrow_people(request, people.order_by("sort_key", "name", "pk"))
    preset = request.GET.get("person", "")
    initial = {"person": people.first()} if preset.isdigit() and request.method != "POST" else {}
    form = OpenForm(request.POST or None, people=people, branches=branches.order_by("path"), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            dev = services.open_case(request.user, d["person"].pk, d["branch"].pk, d["applied_on"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已建立发展党员记录"))
            return redirect("development:detail", pk=dev.pk)
    return render(
        request,
        "core/form.html",
        {"form": form, "title": "登记入党申请", "search": search, "cancel_url": reverse("development:list")},
    )


def _people(request: HttpRequest, dev: Development, field: str = "-"):
    """People for a picker: the posted choice of ``field``, or ``?q=`` / the first 200 (``narrow_people``)."""
    people = (
        Person.objects.visible_to(request.user, "people.view")
        .exclude(pk=dev.person_id)
        .order_by("sort_key", "name", "pk")
    )
    return narrow_people(request, people, field=field)


@require_perm(services.VIEW)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dev = get_visible(Development.objects.select_related("person", "branch"), request.user, services.VIEW, pk=pk)
    return _detail(request, dev)


def _detail(request: HttpRequest, dev: Development, step_form: StepForm | None = None) -> HttpResponse:
    """The case page; after a refused step, with the bound form and its Chinese reason next to the timeline."""
    today = timezone.localdate()
    contacts = list(dev.contacts.select_related("person"))
    overrides = list(dev.overrides.select_related("by"))
    items = timeline(dev, today, contacts=contacts, overrides=overrides)
    change = _can_change(request, dev)
    next_item = next((i for i in items if i.status not in SETTLED), None)
    context = {
        "dev": dev,
        "items": items,
        "contacts": contacts,
        "overrides": overrides,
        "change": change,
        "next_item": next_item,
        "today": today,
    }
    done_codes = {i.step.code for i in items if i.status == DONE}
    # a refused step: its reasons at the top of the page and on the step's row, not only below the 25 rows
    context["step_refusals"] = _refusals(step_form) if step_form is not None else []
    # the two documents only where they apply (公示: a 发展对象 before admission; 请示: after the branch meeting)
    context["notice_refusal"] = documents.notice_refusal(dev, done_codes)
    context["request_refusal"] = documents.request_refusal(dev, done_codes)
    context["reviews"] = list(dev.activist_reviews.select_related("reviewer"))
    context["extensions"] = list(dev.probation_extensions.all())
    context["cancellation"] = cancellation_of(dev)
    if change and next_item is not None:
        people, context["search"] = _people(request, dev)
        if "confirm_activist" in done_codes and "confirm_candidate" not in done_codes:
            context["review_form"] = ReviewForm(people=people)
        if "upper_approval" in done_codes and "conversion_meeting" not in done_codes and not context["extensions"]:
            context["extension_form"] = ExtensionForm(auto_id="ext_%s")  # the override form has a "reason" too
        if (
            "upper_approval" in done_codes
            and "conversion_approval" not in done_codes
            # not when the probationary membership has already ended another way (转出, 死亡 …): nothing to cancel
            and Membership.objects.current().filter(person=dev.person_id, status=MembershipStatus.PROBATIONARY).exists()
        ):  # 细则 第34条
            context["cancellation_form"] = CancellationForm(auto_id="cancel_%s")
        if "upper_approval" not in done_codes:  # 细则 第19条 is judged until the admission is approved
            context["departure_form"] = DepartureForm(initial={"leaves_unit_on": dev.leaves_unit_on}, auto_id="dep_%s")
        context["step_form"] = step_form or StepForm(people=people, code=next_item.step.code)
        context["contact_form"] = ContactForm(people=people)
        if can(request.user, services.OVERRIDE, dev):
            open_steps = [i.step for i in items if i.status not in SETTLED]
            context["override_form"] = OverrideForm(steps=open_steps, initial={"step_code": next_item.step.code})
    return render(request, "development/detail.html", context)


def _refusals(form: StepForm) -> list[str]:
    """The refused step form's messages, each field's prefixed by its label."""
    out = [str(m) for m in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            label = form.fields[name].label if name in form.fields else name
            out += [f"{label}：{m}" for m in errors]
    return out


def _changeable(request: HttpRequest, pk: int) -> Development:
    return get_visible(Development.objects.select_related("person"), request.user, services.CHANGE, pk=pk)


def _post(request: HttpRequest, pk: int, form, action, success: str, title: str) -> HttpResponse:
    if form.is_valid():
        try:
            action(form)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("development:detail", pk=pk)
    url = reverse("development:detail", args=[pk])
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": url})


@require_POST
@require_perm(services.CHANGE)
def step_record(request: HttpRequest, pk: int) -> HttpResponse:
    dev = _changeable(request, pk)
    number = request.POST.get("step", "")
    code = ""
    if number.isdigit():
        try:
            code = table_of(dev).by_number(int(number)).code
        except KeyError:
            code = ""
    form = StepForm(request.POST, people=_people(request, dev, "actor")[0], code=code)
    if form.is_valid():
        try:
            services.record_step(request.user, dev.pk, number, form.data_for_service())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("步骤已记录"))
            return redirect("development:detail", pk=pk)
    dev = Development.objects.select_related("person", "branch").get(pk=dev.pk)
    return _detail(request, dev, step_form=form)


@require_POST
@require_perm(services.CHANGE)
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    dev = _changeable(request, pk)
    form = ContactForm(request.POST, people=_people(request, dev, "person")[0], development=dev)
    return _post(
        request,
        pk,
        form,
        lambda f: services.add_contact(request.user, dev.pk, f.cleaned_data["person"].pk, f.cleaned_data["role"]),
        "联系人已添加",
        f"{dev.person.name}：添加联系人",
    )


@require_POST
@require_perm(services.CHANGE)
def override_add(request: HttpRequest, pk: int) -> HttpResponse:
    dev = _changeable(request, pk)
    if not can(request.user, services.OVERRIDE, dev):
        raise Http404(_("页面不存在"))
    form = OverrideForm(request.POST, steps=list(table_of(dev)))
    return _post(
        request,
        pk,
        form,
        lambda f: services.override(request.user, dev.pk, f.cleaned_data["step_code"], f.cleaned_data["reason"]),
        "已记录例外放行",
        f"{dev.person.name}：例外放行",
    )


@require_POST
@require_perm(services.CHANGE)
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    dev = _changeable(request, pk)
    form = ReviewForm(request.POST, people=_people(request, dev, "reviewer")[0])

    def action(f):
        d = f.cleaned_data
        reviewer = d.get("reviewer")
        services.add_review(request.user, dev.pk, d["reviewed_on"], d["summary"], reviewer.pk if reviewer else None)

    return _post(request, pk, form, action, "考察已记录", f"{dev.person.name}：入党积极分子考察")


@require_POST
@require_perm(services.CHANGE)
def extension_add(request: HttpRequest, pk: int) -> HttpResponse:
    dev = _changeable(request, pk)
    form = ExtensionForm(request.POST)

    def action(f):
        d = f.cleaned_data
        services.extend_probation(request.user, dev.pk, d["months"], d["decided_on"], d["reason"])

    return _post(request, pk, form, action, "已记录延长预备期", f"{dev.person.name}：延长预备期")


@require_POST
@require_perm(services.CHANGE)
def departure_set(request: HttpRequest, pk: int) -> HttpResponse:
    dev = _changeable(request, pk)
    form = DepartureForm(request.POST, auto_id="dep_%s")

    def action(f):
        services.set_expected_departure(request.user, dev.pk, f.cleaned_data["leaves_unit_on"])

    title = _("%(name)s：预计离开工作、学习单位日期") % {"name": dev.person.name}
    return _post(request, pk, form, action, _("已登记预计离开日期"), title)


@require_POST
@require_perm(services.CHANGE)
def cancellation_add(request: HttpRequest, pk: int) -> HttpResponse:
    """取消预备党员资格 (细则 第34条): the page's form asks for confirmation before it posts here."""
    dev = _changeable(request, pk)
    form = CancellationForm(request.POST, auto_id="cancel_%s")

    def action(f):
        d = f.cleaned_data
        services.cancel_probation(request.user, dev.pk, d["meeting_on"], d["approved_on"], d["reason"])

    title = _("%(name)s：取消预备党员资格") % {"name": dev.person.name}
    return _post(request, pk, form, action, _("已记录取消预备党员资格"), title)
