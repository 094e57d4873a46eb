"""青马班: cohorts, their courses with the absent students, attendance and graduation."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import can, has_perm
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm

from .. import services
from ..forms import ClassForm, DateForm, EnrollForm, SessionForm
from ..models import ClassStudent, YoungMarxistClass
from ..services import MANAGE, VIEW
from .common import PAGE, form_page, post_action


@require_perm(VIEW)
def class_list(request: HttpRequest) -> HttpResponse:
    rows = (
        YoungMarxistClass.objects.visible_to(request.user, VIEW)
        .select_related("organization")
        .annotate(
            student_count=Count("students", distinct=True),
            session_count=Count("sessions", distinct=True),
            graduated=Count("students", filter=Q(students__result="graduated"), distinct=True),
        )
    )
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(name__icontains=q)
    page = paginate(request, rows.order_by("-starts_on", "pk"), PAGE)
    return render(
        request,
        "talent/class_list.html",
        {"page": page, "q": q, "can_manage": has_perm(request.user, MANAGE)},
    )


@require_perm(MANAGE)
def class_add(request: HttpRequest) -> HttpResponse:
    form = ClassForm(request.POST or None, user=request.user, perm=MANAGE, initial={"required_rate": 80})
    return form_page(
        request,
        form,
        lambda data: services.open_class(request.user, data),
        success=_("青马班已开班"),
        title=_("开办青马班"),
        done=lambda row: reverse("talent:class_detail", args=[row.pk]),
        cancel=reverse("talent:class_list"),
    )


@require_perm(VIEW)
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    klass = get_visible(YoungMarxistClass.objects.select_related("organization"), request.user, VIEW, pk=pk)
    manage = can(request.user, MANAGE, klass.organization)
    students = list(klass.students.select_related("person"))
    if not manage:  # a student sees the class and their own line, not the others' attendance
        students = [s for s in students if s.person_id == getattr(request.user, "person_id", None)]
    counts = services.attendance(klass)
    rows = [(s, *counts.get(s.pk, (0, 0)), services.rate(*counts.get(s.pk, (0, 0)))) for s in students]
    today = timezone.localdate()
    return render(
        request,
        "talent/class_detail.html",
        {
            "klass": klass,
            "rows": rows,
            "sessions": klass.sessions.annotate(absent_count=Count("absent")),
            "can_manage": manage,
            # enrolment and courses while the class runs; graduation once, after its last day
            "running": today <= klass.ends_on,
            "graduated": any(s.result for s in students),
            "enroll_form": EnrollForm(user=request.user, perm=MANAGE, initial={"on": today}) if manage else None,
            "session_form": SessionForm(students=students, initial={"held_on": today}) if manage else None,
            "date_form": DateForm(initial={"on": today}),
        },
    )


def _managed(request: HttpRequest, pk: int) -> YoungMarxistClass:
    klass = get_visible(YoungMarxistClass.objects.select_related("organization"), request.user, VIEW, pk=pk)
    if not can(request.user, MANAGE, klass.organization):
        raise Http404
    return klass


@require_POST
@require_perm(MANAGE)
def class_enroll(request: HttpRequest, pk: int) -> HttpResponse:
    klass = _managed(request, pk)
    return post_action(
        request,
        EnrollForm(request.POST, user=request.user, perm=MANAGE),
        lambda data: services.enroll(request.user, klass.pk, data["person"], data["on"]),
        success=_("学员已入班"),
        back=reverse("talent:class_detail", args=[klass.pk]),
    )


@require_perm(MANAGE)
def class_session_add(request: HttpRequest, pk: int) -> HttpResponse:
    klass = _managed(request, pk)
    students = list(klass.students.select_related("person"))
    back = reverse("talent:class_detail", args=[klass.pk])
    form = SessionForm(request.POST or None, students=students, initial={"held_on": timezone.localdate()})
    return form_page(
        request,
        form,
        lambda data: services.add_session(
            request.user,
            klass.pk,
            {k: data[k] for k in ("held_on", "topic", "lecturer")},
            [int(x) for x in data["absent"]],
        ),
        success=_("课程已记录"),
        title=_g("%(name)s 上课记录") % {"name": klass.name},
        done=lambda _r: back,
        cancel=back,
    )


@require_POST
@require_perm(MANAGE)
def class_graduate(request: HttpRequest, pk: int) -> HttpResponse:
    klass = _managed(request, pk)
    return post_action(
        request,
        DateForm(request.POST),
        lambda data: services.graduate(request.user, klass.pk, data["on"]),
        success=_("结业已办理"),
        back=reverse("talent:class_detail", args=[klass.pk]),
    )


@require_POST
@require_perm(MANAGE)
def class_student_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    student = ClassStudent.objects.filter(pk=pk).only("klass_id").first()
    if student is None:
        raise Http404
    klass = _managed(request, student.klass_id)
    return post_action(
        request,
        DateForm(request.POST),
        lambda data: services.withdraw_student(request.user, pk, data["on"]),
        success=_("学员已退学"),
        back=reverse("talent:class_detail", args=[klass.pk]),
    )
