"""Writing pages: record a payment, void one, set the base, request and decide relief, import pay sheets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.downloads import attachment
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.people.models import Membership

from .. import paysheet, services
from ..forms import BaseForm, DecideForm, ImportForm, PaymentForm, ReliefForm, VoidForm
from ..models import DuesAccount, DuesPayment, DuesRelief, ReliefStatus
from ..months import month_start
from ..services import CHANGE


def _member(request: HttpRequest, person_id: int) -> Membership:
    return get_visible(
        Membership.objects.current().select_related("person", "organization"), request.user, CHANGE, person_id=person_id
    )


def _form_page(request, form, action, *, title: str, success: str, back: str, intro: str = "") -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": back, "intro": intro})


@require_perm(CHANGE)
def payment_new(request: HttpRequest, person_id: int) -> HttpResponse:
    membership = _member(request, person_id)
    today = timezone.localdate()
    initial = {"paid_on": today, "month_from": month_start(today), "month_to": month_start(today)}
    form = PaymentForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda d: services.record_payment(request.user, person_id, d),
        title=_("登记党费：%(name)s") % {"name": membership.person.name},
        success=_("党费已登记"),
        back=reverse("dues:person", args=[person_id]),
        intro=_("自愿多交党费一次在1000元以上的，全部上缴中央。"),
    )


@require_perm(CHANGE)
def payment_void(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_visible(DuesPayment.objects.select_related("account"), request.user, CHANGE, pk=pk)
    person_id = payment.account.person_id
    return _form_page(
        request,
        VoidForm(request.POST or None),
        lambda d: services.void_payment(request.user, payment.pk, d["reason"]),
        title=_("作废交纳记录：%(payment)s") % {"payment": payment},
        success=_("交纳记录已作废，可重新登记正确的记录"),
        back=reverse("dues:person", args=[person_id]),
        intro=_("作废后该记录仍保留在历史中，不再计入已交金额。"),
    )


@require_perm(CHANGE)
def base_set(request: HttpRequest, person_id: int) -> HttpResponse:
    membership = _member(request, person_id)
    account = DuesAccount.objects.filter(person_id=person_id).first()
    latest = account.bases.order_by("-month").first() if account else None
    initial = {"month": month_start(timezone.localdate()), "category": latest.category if latest else "employee"}
    if account and account.farmer_amount is not None:
        initial["farmer_amount"] = account.farmer_amount
    form = BaseForm(request.POST or None, initial=initial)

    def action(d):
        with transaction.atomic():  # both or neither: a bad farmer amount must not leave the base saved
            services.set_base(request.user, person_id, d["month"], d["category"], d["monthly_base"])
            if d.get("farmer_amount") != (account.farmer_amount if account else None):
                services.set_farmer_amount(request.user, person_id, d.get("farmer_amount"))

    return _form_page(
        request,
        form,
        action,
        title=_("设置党费类别和基数：%(name)s") % {"name": membership.person.name},
        success=_("党费基数已保存"),
        back=reverse("dues:person", args=[person_id]),
    )


@require_perm(CHANGE)
def relief_new(request: HttpRequest, person_id: int) -> HttpResponse:
    membership = _member(request, person_id)
    return _form_page(
        request,
        ReliefForm(request.POST or None),
        lambda d: services.request_relief(request.user, person_id, d),
        title=_("申请少交或免交党费：%(name)s") % {"name": membership.person.name},
        success=_("减免申请已提交，待上一级党委审批"),
        back=reverse("dues:person", args=[person_id]),
        intro=_("经党支部研究后，报上一级党委批准（党总支不能审批）；批准前仍按原标准计算。"),
    )


@require_perm(CHANGE)
def reliefs(request: HttpRequest) -> HttpResponse:
    """Relief requests in scope; the pending ones this user may decide come first."""
    status = request.GET.get("status", ReliefStatus.REQUESTED)
    qs = DuesRelief.objects.visible_to(request.user, CHANGE).select_related(
        "account__person", "branch", "requested_by", "decided_by"
    )
    if status in ReliefStatus.values:
        qs = qs.filter(status=status)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(account__person__name__contains=q) | Q(branch__name__contains=q))
    page = paginate(request, qs.order_by("-created_at", "-id"), 50, keep=request.GET)
    for relief in page.object_list:
        relief.decidable = relief.status == ReliefStatus.REQUESTED and services.can_decide(request.user, relief)
    return render(
        request,
        "dues/reliefs.html",
        {
            "page": page,
            "status": status,
            "statuses": ReliefStatus.choices,
            "q": q,
            "decide_form": DecideForm(),
        },
    )


@require_POST
@require_perm(CHANGE)
def relief_decide(request: HttpRequest, pk: int) -> HttpResponse:
    relief = get_visible(DuesRelief.objects.all(), request.user, CHANGE, pk=pk)
    form = DecideForm(request.POST)
    target = request.POST.get("next") or ""
    # only our own pages: never an open redirect
    back = target if target.startswith("/dues/") and "//" not in target else reverse("dues:reliefs")
    if not form.is_valid():
        # a malformed decision is the user's mistake, not a missing object: say so instead of 404
        messages.error(request, _("请选择“批准”或“不批准”后再提交"))
        return redirect(back)
    try:
        services.decide_relief(
            request.user, relief.pk, form.cleaned_data["decision"] == "approve", form.cleaned_data["note"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("审批结果已记录"))
    return redirect(back)


@require_perm(CHANGE)
def import_template(request: HttpRequest) -> HttpResponse:
    return attachment(paysheet.build_template(), "dues-pay-sheet-template.xlsx")


@require_perm(CHANGE)
def import_pay_sheet(request: HttpRequest) -> HttpResponse:
    """Upload a pay sheet: a dry run previews the changes; a real run writes all rows or none."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    file_error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = paysheet.import_pay_sheet(
                upload.read(), upload.name, user=request.user, dry_run=form.cleaned_data["dry_run"]
            )
        except paysheet.SheetError as exc:
            file_error = str(exc)
        else:
            if report.ok and not report.dry_run:
                messages.success(request, report.summary())
    return render(request, "dues/import.html", {"form": form, "report": report, "file_error": file_error})
