"""The follow-up queue and a person's follow-up page (the seed article §3(5): prioritised one-to-one follow-up).

Health officers only ("health.values"; 404 for everyone else, PIPL art. 28), people in their scope only. Showing
the queue or a follow-up page, and exporting the queue, are "view_sensitive"/"export" audit events whose detail
names the year and page, never a value.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.audit.services import record
from dangjian.core.downloads import attachment
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.people.models import Person
from dangjian.sheets.writer import DATE, INTEGER, PERCENT, TEXT, Book, Column

from .. import followups, queue
from ..data import input_for
from ..followup_forms import AssignForm, BulkAssignForm, RecordForm
from ..models import Checkup, FollowUp, ScreeningResult
from ..screening import GASTROSCOPY_INTERVAL_YEARS, score
from ..services import MIN_YEAR, VALUES

PAGE_SIZE = 50


@require_perm(VALUES)
def queue_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    q = queue.build(request.user, request.GET, today)
    # counts the rows without the follow-up join unless a filter needs it
    page = paginate(request, q.rows, PAGE_SIZE, keep=q.params, counted=q.counted)
    stale = queue.stale_ids(page.object_list)
    for row in page.object_list:
        row.missing_lines = queue.missing_summary(row.missing)
        row.overdue = queue.is_overdue(row, today)
        row.stale = row.pk in stale
    record(
        "view_sensitive",
        object_type_label="health.screeningresult",
        # whose results were shown, so the log can answer "who saw this person's results" (PIPL art. 55)
        detail={
            "what": "follow_up_queue",
            "year": q.year,
            "page": page.number,
            "people": [r.person_id for r in page.object_list],
        },
        object_repr=f"{q.year}年度健康随访队列",
    )
    bulk = BulkAssignForm(officers=followups.officers_near(request.user), initial={"year": q.year})
    return render(
        request,
        "health/queue.html",
        {
            "form": q.form,
            "page": page,
            "year": q.year,
            "today": today,
            "stale_count": len(stale),
            "bulk": bulk,
            "params": page.filters.urlencode(),
        },
    )


@require_perm(VALUES)
def queue_export(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    q = queue.build(request.user, request.GET, today)
    book = Book()
    sheet = book.list_sheet(
        _("随访队列"),
        _("%(year)s年度健康随访队列（敏感个人信息，请妥善保管）") % {"year": q.year},
        [Column(str(h), w, kind) for h, w, kind in EXPORT_COLUMNS],
    )
    people = []
    for row in q.rows.annotate(stale=queue.STALE).iterator(chunk_size=2000):
        sheet.append(_export_row(row, today))
        people.append(row.person_id)
    n = len(people)
    data = book.to_bytes()
    record(
        "export",
        object_type_label="health.screeningresult",
        detail={"what": "follow_up_queue", "year": q.year, "rows": n, "people": people},
        object_repr=f"{q.year}年度健康随访队列导出",
    )
    return attachment(data, f"health-queue-{q.year}.xlsx")


EXPORT_COLUMNS = [
    (gettext_lazy("姓名"), 10, TEXT),
    (gettext_lazy("部门"), 16, TEXT),
    (gettext_lazy("年龄"), 6, INTEGER),
    (gettext_lazy("10年心血管病风险（%）"), 12, PERCENT),
    (gettext_lazy("心血管病风险分层"), 12, TEXT),
    (gettext_lazy("胃癌评分"), 8, INTEGER),
    (gettext_lazy("胃癌风险"), 10, TEXT),
    (gettext_lazy("APCS评分"), 8, INTEGER),
    (gettext_lazy("APCS风险"), 10, TEXT),
    (gettext_lazy("建议肠镜"), 8, TEXT),
    (gettext_lazy("缺少数据"), 30, TEXT),
    (gettext_lazy("评分可能已过时"), 10, TEXT),
    (gettext_lazy("负责健康管理员"), 12, TEXT),
    (gettext_lazy("随访状态"), 10, TEXT),
    (gettext_lazy("下次复查日期"), 12, DATE),
]
EXPORT_HEADERS = [h for h, _w, _k in EXPORT_COLUMNS]


def _export_row(r: ScreeningResult, today) -> list:
    return [
        r.person.name,
        r.person.department.name if r.person.department_id else "",
        r.age,
        r.cvd_percent_shown,
        r.get_cvd_category_display(),
        r.gastric_points,
        r.get_gastric_category_display(),
        r.apcs_points,
        r.get_apcs_category_display(),
        _("是") if r.colonoscopy_referral else "",
        "；".join(str(line) for line in queue.missing_summary(r.missing)),
        _("是") if r.stale else "",
        r.fu_officer or "",
        _status_text(r, today),
        r.fu_next_check_on,
    ]


def _status_text(r, today) -> str:
    if r.fu_status is None:
        return _("未开始")
    if queue.is_overdue(r, today):
        return _("已超期")
    return _("已结束") if r.fu_status == "closed" else _("随访中")


@require_perm(VALUES)
@require_POST
def queue_assign(request: HttpRequest) -> HttpResponse:
    form = BulkAssignForm(request.POST, officers=followups.officers_near(request.user))
    ids = [int(v) for v in request.POST.getlist("person") if v.isdigit()]
    back_params = QueryDict(request.POST.get("back", "")).urlencode()  # re-encoded: only a query string
    back = reverse("health:queue") + (f"?{back_params}" if back_params else "")
    if not ids:
        messages.error(request, _("请勾选要指派的人员"))
    elif not form.is_valid():
        messages.error(request, _("请选择负责健康管理员"))
    else:
        try:
            done, skipped = followups.assign_bulk(
                request.user, ids, form.cleaned_data["year"], form.cleaned_data["officer"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            text = _("已指派%(n)d人") % {"n": done}
            if skipped:
                text += _("；%(n)d人未指派（不在该健康管理员负责范围内或已由其负责）") % {"n": skipped}
            messages.success(request, text)
    return redirect(back)


def _person_year(request: HttpRequest, person_id: int, year: int) -> Person:
    if not MIN_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404(_("年度不存在"))
    return get_visible(Person.objects.select_related("department"), request.user, VALUES, pk=person_id)


def _follow_up_url(person_id: int, year: int) -> str:
    return reverse("health:follow_up", args=[person_id, year])


@require_perm(VALUES)
def follow_up(request: HttpRequest, person_id: int, year: int) -> HttpResponse:
    """The person's result and follow-up; POST adds a contact record."""
    person = _person_year(request, person_id, year)
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            followups.add_record(request.user, person.pk, year, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已添加随访记录"))
            return redirect(_follow_up_url(person.pk, year))
    return _render(request, person, year, record_form=form)


@require_perm(VALUES)
@require_POST
def follow_up_assign(request: HttpRequest, person_id: int, year: int) -> HttpResponse:
    person = _person_year(request, person_id, year)
    form = AssignForm(request.POST, officers=followups.candidates(person))
    if form.is_valid():
        try:
            followups.assign(request.user, person.pk, year, form.cleaned_data["officer"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已指派负责健康管理员"))
            return redirect(_follow_up_url(person.pk, year))
    return _render(request, person, year, assign_form=form)


def _render(request, person, year, *, record_form=None, assign_form=None) -> HttpResponse:
    result = ScreeningResult.objects.filter(person=person, year=year).select_related("run").first()
    fu = FollowUp.objects.filter(person=person, year=year).select_related("assigned_to__person").first()
    records = []
    if fu is not None:
        rows = fu.records.select_related("recorded_by__person").order_by("-contact_on", "-id")
        records = [(r, r.text()) for r in rows]
    checkup = Checkup.objects.filter(person=person, year=year).first()
    checked_on = checkup.checked_on if checkup else None
    # The questionnaire flag and the FIT result are checkup answers kept only encrypted: recomputed here.
    scored = score(input_for(person, checkup)) if checkup and result else None
    record(
        "view_sensitive",
        person,
        detail={"what": "health_follow_up", "year": year},
        object_repr=f"{person.name} {year}年度健康随访",
    )
    today = timezone.localdate()
    return render(
        request,
        "health/follow_up.html",
        {
            "person": person,
            "year": year,
            "result": result,
            "missing_lines": queue.missing_summary(result.missing) if result else [],
            "fu": fu,
            "officer": followups.officer_name(fu.assigned_to) if fu and fu.assigned_to_id else "",
            "first_contact_due": followups.first_contact_due(fu) if fu else None,
            "records": records,
            "checked_on": checked_on,
            "scored": scored,
            "stale": queue.is_stale(result, checkup),
            "gastroscopy_years": GASTROSCOPY_INTERVAL_YEARS.get(result.gastric_category) if result else None,
            "today": today,
            "record_form": record_form or RecordForm(),
            "assign_form": assign_form
            or AssignForm(
                officers=followups.candidates(person),
                initial={"officer": fu.assigned_to_id if fu else None},
            ),
        },
    )


def _status_change(request, person_id: int, year: int, *, close: bool) -> HttpResponse:
    person = _person_year(request, person_id, year)
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            (followups.close if close else followups.reopen)(request.user, person.pk, year)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("随访已结束") if close else _("随访已重新打开"))
        return redirect(_follow_up_url(person.pk, year))
    name = {"name": person.name, "year": year}
    return render(
        request,
        "core/confirm.html",
        {
            "form": form,
            "title": (_("结束随访：%(name)s %(year)s年度") if close else _("重新打开随访：%(name)s %(year)s年度"))
            % name,
            "question": _("结束后不再出现在待办提醒中，记录全部保留，需要时可重新打开。确定结束吗？")
            if close
            else _("重新打开后可继续添加随访记录。确定重新打开吗？"),
            "confirm_label": _("确认结束随访") if close else _("确认重新打开"),
            "cancel_url": _follow_up_url(person.pk, year),
        },
    )


@require_perm(VALUES)
def follow_up_close(request: HttpRequest, person_id: int, year: int) -> HttpResponse:
    return _status_change(request, person_id, year, close=True)


@require_perm(VALUES)
def follow_up_reopen(request: HttpRequest, person_id: int, year: int) -> HttpResponse:
    return _status_change(request, person_id, year, close=False)
