"""党员减少登记 and the honours register (表彰奖励): what the in-party statistics count and no other page records."""

from __future__ import annotations

from django import forms
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
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization
from dangjian.sheets.writer import DATE, Book, Column

from .. import quality, services
from ..forms import DepartureForm, HonourForm, WithdrawForm
from ..models import Honour, HonourKind, HonourLevel, Membership, MembershipStatus, Person

PAGE_SIZE = 50


@require_perm("people.change")
def departure(request: HttpRequest, pk: int) -> HttpResponse:
    """党员减少登记: death, expulsion, resignation, removal (not for lost contact), 取消预备党员资格."""
    person = get_visible(Person.objects.all(), request.user, "people.change", pk=pk)
    current = Membership.objects.current().filter(person=person).select_related("organization").first()
    if current is None:
        raise Http404(_("该人员没有当前党员组织关系"))
    form = DepartureForm(
        request.POST or None,
        probationary=current.status == MembershipStatus.PROBATIONARY,
        initial={"on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.register_departure(request.user, person.pk, on=d["on"], cause=d["cause"], note=d["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记党员减少，组织关系已终止"))
            return redirect("people:detail", pk=person.pk)
    context = {
        "form": form,
        "title": _("%(name)s 党员减少登记") % {"name": person.name},
        "intro": _(
            "用于死亡、开除党籍、退党、除名（党章第九条）和取消预备党员资格。组织关系转出请走组织关系转接；"
            "失联党员的停止党籍和除名请在失联党员页面办理。当前所在：%(org)s。"
        )
        % {"org": current.organization.name},
        "cancel_url": reverse("people:detail", args=[person.pk]),
    }
    return render(request, "core/form.html", context)


# -- honours ---------------------------------------------------------------------------------------------------------


class HonourFilter(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=50)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2100)
    level = forms.ChoiceField(label=_("级别"), required=False, choices=[("", "")] + HonourLevel.choices)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", "")] + HonourKind.choices)
    org = forms.IntegerField(label=_("党组织"), required=False, min_value=1, max_value=2**31 - 1)


def filtered_honours(request: HttpRequest):
    qs = Honour.objects.visible_to(request.user, "people.view").select_related("person")
    fs = HonourFilter(request.GET or None)
    if not fs.is_bound or not fs.is_valid():
        return fs, qs.order_by("-awarded_on", "-id")
    d = fs.cleaned_data
    if d["q"]:
        qs = qs.filter(Q(person__name__icontains=d["q"]) | Q(title__icontains=d["q"]) | Q(issuer__icontains=d["q"]))
    if d["year"]:
        qs = qs.filter(awarded_on__year=d["year"])
    if d["level"]:
        qs = qs.filter(level=d["level"])
    if d["kind"]:
        qs = qs.filter(kind=d["kind"])
    if d["org"]:
        org = Organization.objects.visible_to(request.user).filter(pk=d["org"]).first()
        if org is None:
            return fs, qs.none()
        members = Membership.objects.current().filter(organization__in=Organization.objects.subtree(org))
        qs = qs.filter(person__in=members.values("person_id"))
    return fs, qs.order_by("-awarded_on", "-id")


def _org_choices(user):
    return Organization.objects.visible_to(user).active().exclude(kind="group").order_by("path")[:300]


@require_perm("people.view")
def honour_list(request: HttpRequest) -> HttpResponse:
    fs, qs = filtered_honours(request)
    page = paginate(request, qs, PAGE_SIZE)
    this_year = timezone.localdate().year
    return render(
        request,
        "people/honours.html",
        {
            "page": page,
            "filter": fs,
            "params": request.GET,
            "years": range(this_year, this_year - 10, -1),
            "levels": HonourLevel.choices,
            "kinds": HonourKind.choices,
            "orgs": _org_choices(request.user),
            "querystring": page.filters.urlencode(),
            "can_export": has_perm(request.user, "people.export"),
        },
    )


HONOUR_COLUMNS = (
    Column("姓名", 10),
    Column("荣誉名称", 24),
    Column("类别", 12),
    Column("级别", 14),
    Column("授予日期", 12, DATE),
    Column("授予单位", 28),
    Column("备注", 30),
)


@require_perm("people.export")
def honour_export(request: HttpRequest) -> HttpResponse:
    _fs, qs = filtered_honours(request)
    qs = qs.filter(person__in=Person.objects.visible_to(request.user, "people.export").values("pk"))
    book = Book()
    today = timezone.localdate()
    sheet = book.list_sheet("表彰奖励", f"表彰奖励登记表（{today:%Y-%m-%d}）", HONOUR_COLUMNS)
    for h in qs.iterator(chunk_size=2000):
        sheet.append(
            [h.person.name, h.title, h.get_kind_display(), h.get_level_display(), h.awarded_on, h.issuer, h.note]
        )
    record("export", None, object_type_label="people.honour", object_repr="表彰奖励导出", detail=request.GET.dict())
    return attachment(book.to_bytes(), f"honours-{today:%Y%m%d}.xlsx")


def _honour_param(request: HttpRequest) -> int | None:
    raw = request.POST.get("honour") or request.GET.get("honour") or ""
    return int(raw) if raw.isdigit() and int(raw) < 2**31 else None


@require_perm("people.change")
def honour_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(Person.objects.all(), request.user, "people.change", pk=pk)
    form = HonourForm(request.POST or None, initial={"awarded_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_honour(request.user, person.pk, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记表彰奖励"))
            return redirect("people:detail", pk=person.pk)
    url = reverse("people:detail", args=[person.pk])
    title = _("%(name)s 登记表彰奖励") % {"name": person.name}
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": url})


def _honour_or_back(request: HttpRequest, person: Person) -> Honour | None:
    honour_id = _honour_param(request)
    honour = Honour.objects.filter(pk=honour_id, person=person).first() if honour_id else None
    if honour is None:
        messages.error(request, _("未找到该表彰奖励记录"))
    return honour


@require_perm("people.change")
def honour_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(Person.objects.all(), request.user, "people.change", pk=pk)
    honour = _honour_or_back(request, person)
    if honour is None:
        return redirect("people:detail", pk=person.pk)
    form = HonourForm(request.POST or None, instance=honour)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_honour(request.user, person.pk, honour.pk, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("people:detail", pk=person.pk)
    url = reverse("people:detail", args=[person.pk])
    title = _("%(name)s 编辑表彰奖励") % {"name": person.name}
    # the form posts to this URL, the honour in its query string
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": url})


@require_perm("people.change")
def honour_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible(Person.objects.all(), request.user, "people.change", pk=pk)
    honour = _honour_or_back(request, person)
    if honour is None:
        return redirect("people:detail", pk=person.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.withdraw_honour(request.user, person.pk, honour.pk, form.cleaned_data["reason"])
        messages.success(request, _("已撤销该表彰奖励记录（记录保留备查）"))
        return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "core/confirm.html",
        {
            "form": form,
            "title": _("撤销表彰奖励记录"),
            "confirm_label": _("确认撤销"),
            "question": _("撤销“%(title)s”（%(date)s）？撤销后不再列入表彰奖励登记和统计，记录本身保留备查。")
            % {"title": honour.title, "date": f"{honour.awarded_on:%Y-%m-%d}"},
            "cancel_url": reverse("people:detail", args=[person.pk]),
        },
    )


# -- 资料完整性 ------------------------------------------------------------------------------------------------------


class QualityFilter(forms.Form):
    field = forms.ChoiceField(label=_("缺少的信息"), required=False)
    org = forms.IntegerField(label=_("党组织"), required=False, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "")] + [(c.key, c.label) for c in quality.checks(today)]


def _quality_rows(request: HttpRequest, today):
    base = Membership.objects.visible_to(request.user, "people.change")
    fs = QualityFilter(request.GET or None, today=today)
    field = ""
    if fs.is_bound and fs.is_valid():
        field = fs.cleaned_data["field"]
        if fs.cleaned_data["org"]:
            org = Organization.objects.visible_to(request.user).filter(pk=fs.cleaned_data["org"]).first()
            subtree = Organization.objects.subtree(org) if org is not None else Organization.objects.none()
            base = base.filter(organization__in=subtree)
    return fs, base, field


@require_perm("people.change")
def quality_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    fs, base, field = _quality_rows(request, today)
    page = paginate(request, quality.lacking(base, today, field), PAGE_SIZE)
    rows = [(m, quality.missing_labels(m, today)) for m in page.object_list]
    figures = quality.counts(base, today)
    return render(
        request,
        "people/quality.html",
        {
            "page": page,
            "rows": rows,
            "filter": fs,
            "params": request.GET,
            "checks": [(c, figures[c.key]) for c in quality.checks(today)],
            "members": figures["members"],
            "since": quality.since(today),
            "orgs": _org_choices(request.user),
            "querystring": page.filters.urlencode(),
            "can_export": has_perm(request.user, "people.export"),
        },
    )


QUALITY_COLUMNS = (
    Column("姓名", 10),
    Column("党支部", 26),
    Column("转入本支部日期", 13, DATE),
    Column("转出日期", 12, DATE),
    Column("缺少的信息", 40),
)


@require_perm("people.export")
def quality_export(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    _fs, base, field = _quality_rows(request, today)
    base = base.filter(person__in=Person.objects.visible_to(request.user, "people.export").values("pk"))
    book = Book()
    sheet = book.list_sheet("资料完整性", f"党员资料完整性核查（{today:%Y-%m-%d}）", QUALITY_COLUMNS)
    for m in quality.lacking(base, today, field).iterator(chunk_size=2000):
        labels = "、".join(quality.missing_labels(m, today))
        sheet.append([m.person.name, m.organization.name, m.started_on, m.ended_on, labels])
    record("export", None, object_type_label="people.person", object_repr="资料完整性导出", detail=request.GET.dict())
    return attachment(book.to_bytes(), f"data-quality-{today:%Y%m%d}.xlsx")
