"""The pages of a rater and of a reporting secretary: the ballot (phone-friendly, once) and one's own result.

A rater opens only the ballot page of a meeting they are a rater of; a secretary only their own result, and only
once the meeting has closed. Anyone else is told the page does not exist (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import report_services
from ..models import RaterGroup, ReportGrade


@login_required
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    entry = report_services.rater_entry(request.user, pk)
    meeting = entry.meeting
    reports = report_services.ballot_reports(entry)
    chosen: dict[int, str] = {}
    error = ""
    if request.method == "POST" and entry.voted_at is None:
        for report in reports:
            value = request.POST.get(f"r{report.pk}", "")
            if value:
                chosen[report.pk] = value
        try:
            report_services.vote(request.user, meeting.pk, chosen)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, _("投票已提交，感谢参与"))
            return redirect("assessment:report_vote", pk=meeting.pk)
    context = {
        "meeting": meeting,
        "entry": entry,
        "reports": reports,
        "grades": ReportGrade.choices,
        "chosen": chosen,
        "error": error,
    }
    return render(request, "assessment/reports/vote.html", context)


@login_required
def own_result(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = report_services.own_report(request.user, report_pk)
    row = None
    if report.meeting.status == "closed":
        row = next((r for r in report_services.results(report.meeting) if r.report.pk == report.pk), None)
    context = {"report": report, "row": row, "grades": ReportGrade.choices, "groups": RaterGroup.choices}
    return render(request, "assessment/reports/own_result.html", context)
