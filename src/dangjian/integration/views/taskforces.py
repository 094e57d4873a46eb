"""党员突击队 and 党员攻关团队: the list, a team's page (roster, reports, the temporary-branch warning), the formation
notice and the actions (form, flag, roster, report, disband). Out of scope → 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from dangjian.accounts.scope import can
from dangjian.core import downloads
from dangjian.core.forms import apply_errors, narrow_people
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.development.models import Development, DevelopmentStage
from dangjian.orgs.models import Organization

from .. import evidence, taskforces
from .. import taskforce_notice as notice
from ..models import Project, Taskforce, TaskforceKind, TaskforceMember, TaskforceStatus
from ..taskforces import CHANGE, MANAGE, VIEW
from ..team_forms import DisbandForm, FlagForm, LeaveForm, ReportForm, RosterForm, TaskforceEditForm, TaskforceForm

PAGE = 30
FORM = "integration/taskforce_form.html"
ACTIVIST_STAGES = (DevelopmentStage.ACTIVIST, DevelopmentStage.CANDIDATE)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    write: Callable[[dict], Any],
    *,
    success: Any,
    title: Any,
    cancel_url: str,
    next_url: Callable[[Any], str] | str | None = None,
    intro: Any = "",
    search: Any = None,
) -> HttpResponse:
    """A form page: a valid form goes to its service; the service's ValidationError shows on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            target = next_url(result) if callable(next_url) else (next_url or cancel_url)
            return redirect(target)
    context = {"form": form, "title": title, "cancel_url": cancel_url, "intro": intro, "search": search}
    return render(request, FORM, context)


def _team(request: HttpRequest, pk: int, perm: str = VIEW) -> Taskforce:
    return get_visible(Taskforce.objects.select_related("organization", "project"), request.user, perm, pk=pk)


def _detail_url(team: Taskforce | int) -> str:
    return reverse("integration:taskforce_detail", args=[team if isinstance(team, int) else team.pk])


@require_perm(VIEW)
def taskforce_list(request: HttpRequest) -> HttpResponse:
    qs = (
        Taskforce.objects.visible_to(request.user, VIEW)
        .select_related("organization", "project")
        .annotate(members=Count("roster", filter=Q(roster__left_on__isnull=True)))
    )
    q = (request.GET.get("q") or "").strip()[:50]
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(project__name__contains=q) | Q(organization__name__contains=q))
    if kind in TaskforceKind.values:
        qs = qs.filter(kind=kind)
    if status in TaskforceStatus.values:
        qs = qs.filter(status=status)
    page = paginate(request, qs.order_by("-starts_on", "pk"), PAGE, keep={"q": q, "kind": kind, "status": status})
    return render(
        request,
        "integration/taskforce_list.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "status": status,
            "kinds": TaskforceKind.choices,
            "statuses": TaskforceStatus.choices,
            "can_form": can(request.user, MANAGE),
        },
    )


@require_perm(MANAGE)
def taskforce_create(request: HttpRequest) -> HttpResponse:
    organizations = (
        Organization.objects.visible_to(request.user, MANAGE)
        .active()
        .filter(kind__in=("committee", "general_branch", "branch"))
        .order_by("path")
    )
    projects = Project.objects.visible_to(request.user, VIEW).filter(key=True).order_by("-starts_on", "code")
    form = TaskforceForm(request.POST or None, organizations=organizations, projects=projects)
    return form_page(
        request,
        form,
        lambda data: taskforces.form_team(request.user, data),
        success=_("队伍已组建，请录入队员名单"),
        title=_("组建突击队/攻关团队"),
        cancel_url=reverse("integration:taskforce_list"),
        next_url=_detail_url,
    )


def _kinds_of(roster: list[TaskforceMember]) -> dict[int, str]:
    """Each person's standing for the roster: member, probationary, activist (发展 case at 积极分子 or 发展对象)
    or non-member staff. One query."""
    ids = [m.person_id for m in roster]
    activists = set(
        Development.objects.filter(person_id__in=ids, status="open", stage__in=ACTIVIST_STAGES).values_list(
            "person_id", flat=True
        )
    )
    out = {}
    for m in roster:
        status = m.person.political_status
        if status in ("member", "probationary"):
            out[m.person_id] = m.person.get_political_status_display()
        elif m.person_id in activists:
            out[m.person_id] = _("入党积极分子")
        else:
            out[m.person_id] = _("非党员职工")
    return out


def _evidence_url(pk: int) -> str:
    """The evidence download page belongs to the matrix part (``integration:evidence_download``); until it is
    wired the file is listed by its title alone."""
    try:
        return reverse("integration:evidence_download", args=[pk])
    except NoReverseMatch:
        return ""


@require_perm(VIEW)
def taskforce_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    roster = sorted(
        TaskforceMember.objects.filter(taskforce=team).select_related("person", "person__department"),
        key=lambda m: (
            m.left_on is not None,
            notice.ROLE_ORDER.get(m.role, 9),
            m.joined_on,
            m.pk,
        ),
    )
    kinds = _kinds_of(roster)
    for m in roster:
        m.standing = kinds[m.person_id]
    reports = list(team.reports.select_related("meeting", "meeting__organization", "reported_by"))
    files = evidence.of_many(reports)
    for r in reports:
        r.files = [(f.title, _evidence_url(f.pk)) for f in files.get((type(r), r.pk), [])]
    milestones = list(team.project.milestones.all()) if team.project_id else []
    warning = taskforces.temp_branch(team, roster) if team.status == TaskforceStatus.ACTIVE else None
    return render(
        request,
        "integration/taskforce_detail.html",
        {
            "team": team,
            "current": [m for m in roster if m.left_on is None],
            "former": [m for m in roster if m.left_on is not None],
            "reports": reports,
            "milestones": milestones,
            "temp_branch": warning,
            "planned_end": taskforces.planned_end(team),
            "can_manage": can(request.user, MANAGE, team),
            "can_change": can(request.user, CHANGE, team),
        },
    )


@require_perm(VIEW)
def taskforce_notice(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    return downloads.attachment(notice.build(team), notice.filename(team))


@require_perm(MANAGE)
def taskforce_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk, MANAGE)
    return form_page(
        request,
        TaskforceEditForm(request.POST or None, instance=Taskforce.objects.get(pk=team.pk)),
        lambda data: taskforces.edit_team(request.user, team.pk, data),
        success=_("队伍信息已修改"),
        title=_("修改%(team)s") % {"team": team},
        cancel_url=_detail_url(team),
    )


@require_perm(MANAGE)
def taskforce_flag(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk, MANAGE)
    return form_page(
        request,
        FlagForm(request.POST or None),
        lambda data: taskforces.present_flag(request.user, team.pk, data["flag_presented_on"]),
        success=_("已记录授旗"),
        title=_("%(team)s · 授旗") % {"team": team},
        cancel_url=_detail_url(team),
    )


@require_perm(CHANGE)
def taskforce_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk, CHANGE)
    people, search = narrow_people(request, taskforces.roster_candidates(request.user))
    form = RosterForm(request.POST or None, people=people, initial={"joined_on": team.starts_on})
    return form_page(
        request,
        form,
        lambda data: taskforces.add_member(request.user, team.pk, data),
        success=_("已加入队伍"),
        title=_("%(team)s · 增加队员") % {"team": team},
        cancel_url=_detail_url(team),
        search=search,
    )


@require_perm(CHANGE)
def taskforce_member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    place = (
        TaskforceMember.objects.filter(pk=pk, taskforce__in=Taskforce.objects.visible_to(request.user, CHANGE))
        .select_related("person", "taskforce")
        .first()
    )
    if place is None:
        raise Http404
    return form_page(
        request,
        LeaveForm(request.POST or None),
        lambda data: taskforces.leave(request.user, place.pk, data["left_on"]),
        success=_("已办理离队"),
        title=_("%(person)s 离开%(team)s") % {"person": place.person.name, "team": place.taskforce},
        intro=_("离队后名单中保留其记录。"),
        cancel_url=_detail_url(place.taskforce_id),
    )


@require_perm(CHANGE)
def taskforce_report(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk, CHANGE)
    form = ReportForm(request.POST or None, request.FILES or None, meetings=taskforces.report_meetings(request.user))

    def write(data: dict) -> Any:
        return taskforces.add_report(
            request.user, team.pk, data, upload=data.get("evidence_file"), title=data.get("evidence_title") or ""
        )

    return form_page(
        request,
        form,
        write,
        success=_("进展汇报已保存"),
        title=_("%(team)s · 进展汇报") % {"team": team},
        cancel_url=_detail_url(team),
    )


@require_perm(MANAGE)
def taskforce_disband(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk, MANAGE)
    return form_page(
        request,
        DisbandForm(request.POST or None),
        lambda data: taskforces.disband(request.user, team.pk, data["ends_on"], data["summary"]),
        success=_("队伍已解散"),
        title=_("解散%(team)s") % {"team": team},
        intro=_("解散后队伍不能再调整名单或汇报进展，在册队员一并离队。"),
        cancel_url=_detail_url(team),
    )
