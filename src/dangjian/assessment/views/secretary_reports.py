"""The office's pages for 述职评议: list and create meetings, the meeting (secretaries, raters, stages), paper
tallies, a report's text and remarks, the results and the documents. Scope: the office of the committee's
subtree (``assessment.manage`` over the meeting's organisation); anyone else is told the page does not exist."""

from __future__ import annotations

import os

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.core.downloads import attachment, disposition
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .. import rectifications, report_documents, report_scale, report_services
from ..models import PaperTally, RaterGroup, ReportGrade, ReportMeeting, SecretaryReport
from ..models.secretary_report import MANAGE


class MeetingForm(forms.Form):
    organization = forms.ModelChoiceField(label=gettext_lazy("党委"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    held_on = forms.DateField(label=gettext_lazy("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=gettext_lazy("名称"), max_length=100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.visible_to(user, MANAGE).filter(kind__in=("committee", "general_branch"))
        self.fields["organization"].queryset = orgs.order_by("path")


class ReportForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("述职报告"), required=False, widget=forms.Textarea)
    file = forms.FileField(label=gettext_lazy("述职报告文件"), required=False)
    remarks = forms.CharField(label=gettext_lazy("党委书记点评"), required=False, widget=forms.Textarea)
    problems = forms.CharField(label=gettext_lazy("存在问题（纳入三张清单）"), required=False, widget=forms.Textarea)


def meeting_or_404(user, pk: int) -> ReportMeeting:
    return get_visible(ReportMeeting.objects.select_related("organization"), user, MANAGE, pk=pk)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_perm(MANAGE)
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = ReportMeeting.objects.visible_to(request.user, MANAGE).select_related("organization")
    page = paginate(request, meetings.order_by("-year", "-held_on", "-pk"), 30)
    return render(request, "assessment/reports/meeting_list.html", {"page": page})


@require_perm(MANAGE)
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, user=request.user, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = report_services.create_meeting(
                request.user,
                data["organization"].pk,
                year=data["year"],
                held_on=data["held_on"],
                title=data["title"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已创建“%(title)s”") % {"title": meeting.title})
            return redirect("assessment:report_meeting", pk=meeting.pk)
    context = {"form": form, "title": _("新建述职评议"), "cancel_url": reverse("assessment:report_meetings")}
    return render(request, "core/form.html", context)


def _people_choices(meeting: ReportMeeting):
    """Members of the committee's subtree, to be added as raters (a staff representative outside the party is
    recorded as a person too)."""
    return (
        Person.objects.filter(
            memberships__organization__path__startswith=meeting.organization.path, memberships__ended_on__isnull=True
        )
        .distinct()
        .order_by("name")
        .only("pk", "name")[:2000]
    )


@require_perm(MANAGE)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    reports = list(
        meeting.reports.filter(withdrawn_at__isnull=True).select_related("person", "organization").order_by("order")
    )
    raters = list(meeting.raters.filter(withdrawn_at__isnull=True).select_related("person").order_by("group", "pk"))
    present = {r.person_id for r in reports}
    scale = report_scale.of_meeting(meeting)
    context = {
        "meeting": meeting,
        "reports": reports,
        "raters": raters,
        "voted": sum(1 for r in raters if r.voted_at),
        "groups": [(g.value, g.label, scale.weight(g.value)) for g in RaterGroup],
        "scale": scale,
        "scale_text": report_scale.explain(scale),
        "candidates": [c for c in report_services.candidates(meeting) if c[0] not in present]
        if meeting.status == "draft"
        else [],
        "people": _people_choices(meeting) if meeting.status != "closed" else [],
    }
    return render(request, "assessment/reports/meeting_detail.html", context)


def _ints(values) -> list[int]:
    try:
        return [int(v) for v in values]
    except (TypeError, ValueError):
        raise ValidationError(_("提交的内容无效")) from None


@require_perm(MANAGE)
def meeting_act(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's actions, one POST each: add or withdraw secretaries and raters, open voting, close."""
    meeting = meeting_or_404(request.user, pk)
    if request.method != "POST":
        return redirect("assessment:report_meeting", pk=meeting.pk)
    action, user, post = request.POST.get("action", ""), request.user, request.POST
    try:
        if action == "add_reports":
            pairs = [tuple(_ints(v.split(":"))) for v in post.getlist("secretary")]
            n = report_services.add_reports(user, meeting.pk, [(p[0], p[1]) for p in pairs if len(p) == 2])
            messages.success(request, _("已添加 %(n)s 位述职书记") % {"n": n})
        elif action == "withdraw_report":
            report_services.withdraw_report(user, _ints([post.get("report")])[0])
            messages.success(request, _("已撤销"))
        elif action == "add_raters":
            n = report_services.add_raters(user, meeting.pk, post.get("group", ""), _ints(post.getlist("person")))
            messages.success(request, _("已添加 %(n)s 名测评人") % {"n": n})
        elif action == "withdraw_rater":
            report_services.withdraw_rater(user, _ints([post.get("rater")])[0])
            messages.success(request, _("已撤销"))
        elif action == "open":
            report_services.open_voting(user, meeting.pk)
            messages.success(request, _("已开始测评"))
        elif action == "close":
            report_services.close(user, meeting.pk)
            messages.success(request, _("测评已结束"))
        else:
            messages.error(request, _("未知的操作"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("assessment:report_meeting", pk=meeting.pk)


@require_perm(MANAGE)
def tally(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper forms of one rater group: the forms collected and each secretary's counts."""
    meeting = meeting_or_404(request.user, pk)
    group = request.GET.get("group") or request.POST.get("group") or RaterGroup.COMMITTEE.value
    if group not in RaterGroup.values:
        group = RaterGroup.COMMITTEE.value
    reports = list(meeting.reports.filter(withdrawn_at__isnull=True).select_related("person").order_by("order"))
    existing = {t.report_id: t.counts() for t in PaperTally.objects.filter(report__meeting=meeting, group=group)}
    error = ""
    if request.method == "POST":
        try:
            papers = _ints([request.POST.get("papers") or 0])[0]
            counts = {
                r.pk: {g: _ints([request.POST.get(f"c_{r.pk}_{g}") or 0])[0] for g in ReportGrade.values}
                for r in reports
            }
            report_services.record_tallies(request.user, meeting.pk, group, papers, counts)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, _("已保存纸质测评计票"))
            return redirect("assessment:report_meeting", pk=meeting.pk)
    rows = [(r, [(g, existing.get(r.pk, {}).get(g, 0)) for g in ReportGrade.values]) for r in reports]
    context = {
        "meeting": meeting,
        "group": group,
        "groups": RaterGroup.choices,
        "grades": ReportGrade.choices,
        "rows": rows,
        "papers": meeting.paper_count(group),
        "error": error,
    }
    return render(request, "assessment/reports/tally.html", context)


@require_perm(MANAGE)
def report_edit(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    report = get_visible_report(meeting, report_pk)
    initial = {"text": report.text, "remarks": report.remarks, "problems": report.problems}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report_services.save_report(
                request.user,
                report.pk,
                text=data["text"],
                file=data["file"],
                remarks=data["remarks"],
                problems=data["problems"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存"))
            return redirect("assessment:report_meeting", pk=meeting.pk)
    return render(request, "assessment/reports/report_edit.html", {"meeting": meeting, "report": report, "form": form})


def get_visible_report(meeting: ReportMeeting, report_pk: int) -> SecretaryReport:

    report = (
        meeting.reports.select_related("person", "organization").filter(pk=report_pk, withdrawn_at__isnull=True).first()
    )
    if report is None:
        raise Http404(_("对象不存在"))
    return report


@require_perm(MANAGE)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    # withheld while voting: a count changing under the office's eyes would tell who just voted how
    rows = report_services.results(meeting) if meeting.status == "closed" else None
    context = {
        "meeting": meeting,
        "rows": rows,
        "grades": ReportGrade.choices,
        "groups": RaterGroup.choices,
        "scale_text": report_scale.explain(report_scale.of_meeting(meeting)),
    }
    return render(request, "assessment/reports/results.html", context)


@require_POST
@require_perm(MANAGE)
def results_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    """Carry the problems the meeting found into the 三张清单, one item per line, each secretary responsible."""
    meeting = meeting_or_404(request.user, pk)
    try:
        created = rectifications.seed_from_reports(request.user, meeting.pk)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已纳入三张清单：新增 %(n)s 项整改事项") % {"n": len(created)})
    return redirect("assessment:report_results", pk=meeting.pk)


@require_perm(MANAGE)
def report_file(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    """The report's uploaded file, always as a download (never rendered in the page)."""
    meeting = meeting_or_404(request.user, pk)
    report = get_visible_report(meeting, report_pk)
    if not report.file:
        messages.error(request, _("尚未上传述职报告文件"))
        return redirect("assessment:report_edit", pk=meeting.pk, report_pk=report.pk)
    try:
        handle = report.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("附件文件缺失")) from None
    name = _("%(name)s述职报告%(ext)s") % {"name": report.person.name, "ext": os.path.splitext(report.file.name)[1]}
    response = FileResponse(handle, content_type="application/octet-stream")
    response["Content-Disposition"] = disposition(name)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_perm(MANAGE)
def ballot_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    reports = meeting.reports.filter(withdrawn_at__isnull=True).select_related("person", "organization")
    content = report_documents.ballot_form(meeting, list(reports.order_by("order")))
    return attachment(content, _("%(title)s测评表.docx") % {"title": meeting.title})


@require_perm(MANAGE)
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request.user, pk)
    if meeting.status != "closed":
        messages.error(request, _("测评结束后才能导出结果"))
        return redirect("assessment:report_meeting", pk=meeting.pk)
    content = report_documents.results_book(meeting, report_services.results(meeting))
    return attachment(content, _("%(title)s测评结果.xlsx") % {"title": meeting.title})
