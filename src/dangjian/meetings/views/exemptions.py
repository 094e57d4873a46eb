"""不计入应到会人数: the list per branch, recording one with its approval, withdrawing one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import has_perm
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person

from .. import exemptions
from ..exemption_forms import ExemptionForm, WithdrawForm
from ..models import AttendanceExemption

VIEW, CHANGE = "meetings.view", "meetings.change"
PAGE_SIZE = 30


def _branches(user, perm: str):
    return Organization.objects.visible_to(user, perm).filter(kind="branch").order_by("path")


def _ancestor_paths(org: Organization) -> list[str]:
    """The organisations above the branch (上级党组织), by their materialised paths: one indexed lookup."""
    step = Organization.steplen
    return [org.path[:n] for n in range(step, len(org.path), step)]


@require_perm(VIEW)
def exemption_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = AttendanceExemption.objects.visible_to(request.user, VIEW).select_related(
        "person", "organization", "approved_by", "meeting"
    )
    branches = _branches(request.user, VIEW)
    org_id = request.GET.get("org", "")
    org = branches.filter(pk=int(org_id)).first() if org_id.isdigit() else None
    if org is not None:
        rows = rows.filter(organization=org)
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(person__name__contains=q)
    state = request.GET.get("state", "current")
    if state == "ended":
        rows = rows.ended(today)
    elif state == "current":
        rows = rows.current(today)
    page = paginate(request, rows.order_by("-approved_on", "-id"), PAGE_SIZE)
    context = {
        "page": page,
        "branches": branches,
        "org": org,
        "q": q,
        "state": state,
        "can_change": has_perm(request.user, CHANGE),
        "changeable": set(
            AttendanceExemption.objects.visible_to(request.user, CHANGE)
            .filter(pk__in=[e.pk for e in page.object_list])
            .values_list("pk", flat=True)
        ),
    }
    return render(request, "meetings/exemptions.html", context)


@require_perm(CHANGE)
def exemption_create(request: HttpRequest) -> HttpResponse:
    branches = _branches(request.user, CHANGE).active()
    org_id = request.GET.get("org", "")
    org = branches.filter(pk=int(org_id)).first() if org_id.isdigit() else None
    if org is None:
        return render(request, "meetings/exemption_pick.html", {"branches": branches})
    members = Membership.objects.filter(organization=org, ended_on__isnull=True).values("person_id")
    form = ExemptionForm(
        request.POST or None,
        people=Person.objects.filter(pk__in=members).order_by("sort_key", "name", "pk"),
        meetings=exemptions.branch_meetings(org).order_by("-starts_at"),
        approvers=Organization.objects.filter(path__in=_ancestor_paths(org)).order_by("-depth"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            exemptions.record_exemption(request.user, org.pk, form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记：不计入应到会人数"))
            return redirect(reverse("meetings:exemptions") + f"?org={org.pk}")
    context = {
        "form": form,
        "title": _("登记不计入应到会人数：%(org)s") % {"org": org.name},
        "intro": _(
            "因长期病休、出国（境）半年以上、被羁押、外出务工未转组织关系半年以上等原因不能参加组织生活的党员，"
            "经上级党组织批准，可不计入应到会人数（参考做法）。本人仍可到会和签到。"
        ),
        "cancel_url": reverse("meetings:exemptions") + f"?org={org.pk}",
    }
    return render(request, "core/form.html", context)


@require_perm(CHANGE)
def exemption_withdraw(request: HttpRequest, exemption_pk: int) -> HttpResponse:
    exemption = get_visible(
        AttendanceExemption.objects.select_related("person", "organization"), request.user, CHANGE, pk=exemption_pk
    )
    back = reverse("meetings:exemptions") + f"?org={exemption.organization_id}"
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exemptions.withdraw_exemption(request.user, exemption.pk, form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已撤销，该党员重新计入应到会人数"))
            return redirect(back)
    context = {
        "title": _("撤销不计入应到会人数"),
        "question": _("确定撤销%(name)s（%(org)s）不计入应到会人数的登记吗？尚未形成会议记录的会议将重新计其为应到。")
        % {"name": exemption.person.name, "org": exemption.organization.name},
        "form": form,
        "confirm_label": _("撤销"),
        "cancel_url": back,
    }
    return render(request, "core/confirm.html", context)
