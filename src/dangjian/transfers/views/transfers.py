from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import has_perm
from dangjian.audit.services import record
from dangjian.core.downloads import attachment
from dangjian.core.forms import apply_errors, narrow_people
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.development.rule_data import DEVELOPMENT_RULES
from dangjian.dues.ledger import paid_through
from dangjian.orgs.models import Department, Organization
from dangjian.people.models import Membership, Person
from dangjian.rules import services as rule_store

from .. import incoming, services
from ..forms import AcceptForm, IncomingForm, ReasonForm, RejectForm, RequestForm, SendForm, TransferFilterForm
from ..letter import build_letter, letter_filename
from ..models import Direction, Transfer, TransferStatus
from ..rule_data import TRANSFER_RULES

VIEW, CHANGE = services.VIEW, services.CHANGE


def org_choices(user, perm: str = VIEW) -> list[tuple[str, str]]:
    orgs = Organization.objects.visible_to(user, perm).exclude(kind="group").only("pk", "name", "depth")
    return [("", "全部组织")] + [(str(o.pk), "　" * (o.depth - 1) + o.name) for o in orgs]


@require_perm(VIEW)
def transfer_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    qs = Transfer.objects.visible_to(request.user).select_related("from_org", "to_org")
    form = TransferFilterForm(request.GET or None)
    form.fields["org"].widget = form.fields["org"].hidden_widget()
    orgs = org_choices(request.user)
    selected_org = None
    if form.is_valid():
        d = form.cleaned_data
        if d.get("q"):
            qs = qs.filter(name__icontains=d["q"].strip())
        if d.get("status"):
            qs = qs.filter(status=d["status"])
        if d.get("direction"):
            qs = qs.filter(direction=d["direction"])
        if d.get("year"):
            qs = qs.filter(requested_on__year=d["year"])
        if d.get("org"):
            selected_org = Organization.objects.visible_to(request.user, VIEW).filter(pk=d["org"]).first()
            if selected_org is None:
                qs = qs.none()
            else:
                inside = Organization.objects.subtree(selected_org)
                qs = qs.filter(Q(from_org__in=inside) | Q(to_org__in=inside))
    page = paginate(request, qs, 50, keep=request.GET)
    return render(
        request,
        "transfers/list.html",
        {
            "page": page,
            "form": form,
            "orgs": orgs,
            "selected_org": str(selected_org.pk) if selected_org else "",
            "today": today,
            "can_change": has_perm(request.user, CHANGE),
        },
    )


def _members(user):
    current = Membership.objects.current().visible_to(user, CHANGE).values("person_id")
    return Person.objects.filter(pk__in=current).order_by("sort_key", "name")


@require_perm(CHANGE)
def transfer_new(request: HttpRequest) -> HttpResponse:
    preset = request.GET.get("person", "")
    people, search = narrow_people(request, _members(request.user))
    if preset.isdigit() and not people.exists():
        raise Http404(_("该人员不存在、不是当前党员或不在您的管理范围内"))
    branches = Organization.objects.active().filter(kind="branch").order_by("path")
    initial = {"person": people.first()} if preset.isdigit() else {}
    form = RequestForm(request.POST or None, people=people, branches=branches, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            t = services.request_transfer(
                request.user,
                d["person"].pk,
                to_org_id=d["to_org"].pk if d.get("to_org") else None,
                to_name=d.get("to_name", ""),
                reason=d["reason"],
                requested_on=d["requested_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记组织关系转接申请"))
            return redirect("transfers:detail", pk=t.pk)
    intro = "在接收方接收之前，党员仍由原党支部负责教育管理（党员教育管理工作条例第25条）。"
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": "申请组织关系转接",
            "intro": intro,
            "search": search,
            "cancel_url": reverse("transfers:list"),
        },
    )


@require_perm(CHANGE)
def transfer_incoming(request: HttpRequest) -> HttpResponse:
    branches = Organization.objects.visible_to(request.user, CHANGE).active().filter(kind="branch").order_by("path")
    departments = Department.objects.visible_to(request.user, CHANGE)
    form = IncomingForm(request.POST or None, branches=branches, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            t = incoming.register_incoming(request.user, form.data_for_service())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记转入介绍信，请在核对后办理接收"))
            return redirect("transfers:detail", pk=t.pk)
    months = rule_store.table(TRANSFER_RULES).value("letter.validity_months", timezone.localdate())
    intro = f"登记从系统外党组织转入的党员介绍信。接收时如本系统无此人员，将自动建立人员信息。默认有效期{months}个月。"
    return render(
        request,
        "core/form.html",
        {"form": form, "title": "登记系统外转入", "intro": intro, "cancel_url": reverse("transfers:list")},
    )


@require_perm(VIEW)
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    t = get_visible(Transfer.objects.select_related("from_org", "to_org", "person"), request.user, VIEW, pk=pk)
    today = timezone.localdate()
    events = list(t.events.select_related("by"))
    actions = services.allowed_actions(request.user, t) if has_perm(request.user, CHANGE) else []
    postpone = None
    if t.member_status == "probationary" and t.direction != Direction.OUT:
        postpone = DEVELOPMENT_RULES.rule("conversion.transferred_in_postpone_max_months", today)
    return render(
        request,
        "transfers/detail.html",
        {
            "t": t,
            "events": events,
            "actions": [(a, services.verb(t.direction, a)) for a in actions],
            "single_step": "accept" in actions and services.single_step(request.user, t),
            "responsibility": TRANSFER_RULES.rule("transfer.old_org_responsible", today),
            "postpone": postpone,
            "expired": t.status == TransferStatus.SENT and t.valid_until is not None and t.valid_until < today,
            "today": today,
            "person_visible": bool(t.person_id)
            and Person.objects.visible_to(request.user, "people.view").filter(pk=t.person_id).exists(),
        },
    )


ACTION_FORMS = {"send": SendForm, "accept": AcceptForm, "reject": RejectForm, "cancel": ReasonForm, "expire": None}
CONFIRM = {"reject", "cancel", "expire"}


def _perform(user, t: Transfer, action: str, d: dict):
    if action == "send":
        return services.send(user, t.pk, on=d["on"], dues_paid_to=d.get("dues_paid_to"))
    if action == "accept":
        return services.accept(user, t.pk, on=d["on"])
    if action == "reject":
        return services.reject(user, t.pk, on=d["on"], reason=d["reason"])
    if action == "cancel":
        return services.cancel(user, t.pk, reason=d["reason"])
    return services.expire(user, t.pk)


@require_perm(CHANGE)
def transfer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTION_FORMS:
        raise Http404(_("页面不存在"))
    t = get_visible(Transfer.objects.select_related("from_org", "to_org"), request.user, VIEW, pk=pk)
    detail_url = reverse("transfers:detail", args=[t.pk])
    label = services.verb(t.direction, action)
    if action not in services.allowed_actions(request.user, t):
        messages.error(
            request,
            _("当前状态为「%(status)s」，您不能%(action)s") % {"status": t.get_status_display(), "action": label},
        )
        return redirect(detail_url)
    form_class = ACTION_FORMS[action] or ReasonForm
    initial = {"on": timezone.localdate()}
    if action == "send" and t.person_id:
        initial["dues_paid_to"] = paid_through(t.person_id)  # from the dues records; the sender may correct it
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if action == "expire":
        form.fields["reason"].required = False
        form.fields["reason"].label = "备注"
    if request.method == "POST" and form.is_valid():
        try:
            _perform(request.user, t, action, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已%(action)s") % {"action": label})
            return redirect(detail_url)
    title = f"{t.name}：{label}"
    if action in CONFIRM:
        question = {
            "reject": "登记系统外党组织退回介绍信后，本次转接结束，党员仍留在原党支部。确定吗？"
            if t.direction == Direction.OUT
            else "拒收后本次转接结束，党员仍留在原党支部。接收方无正当理由不得拒收（条例第25条）。确定吗？",
            "cancel": "撤销后本次转接结束（记录保留，不会删除）。确定撤销吗？",
            "expire": f"介绍信有效期至 {t.valid_until:%Y-%m-%d}，登记为过期后本次转接结束。确定吗？"
            if t.valid_until
            else "",
        }[action]
        context = {"form": form, "title": title, "question": question, "confirm_label": f"确认{label}"}
        return render(request, "core/confirm.html", {**context, "cancel_url": detail_url})
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": detail_url})


@require_perm(VIEW)
def transfer_letter(request: HttpRequest, pk: int) -> HttpResponse:
    t = get_visible(Transfer.objects.all(), request.user, VIEW, pk=pk)
    if t.direction != Direction.OUT or t.letter_seq is None:
        raise Http404(_("该转接没有介绍信"))
    content = build_letter(t)
    record("export", t, detail={"letter": t.letter_number})
    return attachment(content, letter_filename(t))
