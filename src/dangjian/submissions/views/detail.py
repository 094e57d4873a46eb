"""One submission: its text, files, actions and history (the audit trail); its .docx; its files."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.audit.models import AuditEvent
from dangjian.audit.services import object_type
from dangjian.core import attachments as files
from dangjian.core.downloads import attachment as download
from dangjian.core.scoping import require_perm

from .. import services
from ..documents import docx_filename, submission_docx
from ..forms import UploadForm
from ..models import Status, Submission, SubmissionAttachment
from ..queries import CHANGE, VIEW, visible

STEPS = {
    "send": gettext_lazy("报送"),
    "receive": gettext_lazy("签收"),
    "withdraw": gettext_lazy("撤回草稿"),
    "resubmit": gettext_lazy("退回后重新拟稿"),
}


def get_submission(request: HttpRequest, pk: int) -> Submission:
    sub = (
        visible(request.user)
        .filter(pk=pk)
        .select_related("organization", "addressee", "previous", "drafted_by__person")
        .first()
    )
    if sub is None:
        raise Http404(_("对象不存在"))
    return sub


def _step(e: AuditEvent, names: dict[str, str]) -> str:
    detail = e.detail or {}
    change = detail.get("change", "")
    if e.object_type == object_type(SubmissionAttachment):
        name = names.get(e.object_id, "")
        return (_("上传附件 %(n)s") if e.action == "create" else _("删除附件 %(n)s")) % {"n": name}
    if change == "answer":
        return _("答复：%(d)s") % {"d": Status(detail.get("decision")).label}
    if change in STEPS:
        return str(STEPS[change])
    return _("拟稿") if e.action == "create" else _("修改草稿")


def history(sub: Submission, files: list[SubmissionAttachment]) -> list[dict]:
    """The submission's and its files' audit events, oldest first, each named as a step of the procedure."""
    names = {str(a.pk): a.name for a in files}
    events = AuditEvent.objects.filter(
        Q(object_type=object_type(Submission), object_id=str(sub.pk))
        | Q(object_type=object_type(SubmissionAttachment), object_id__in=list(names))
    ).order_by("at", "pk")
    return [{"at": e.at, "actor": e.actor_name, "step": _step(e, names)} for e in events]


@require_perm(VIEW)
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_submission(request, pk)
    everything = list(sub.attachments.order_by("pk"))
    files = [a for a in everything if a.removed_at is None]
    acts = services.actions(request.user, sub)
    next_version = sub.resubmissions.first()
    return render(
        request,
        "submissions/detail.html",
        {
            "sub": sub,
            "files": files,
            "actions": acts,
            "history": history(sub, everything),
            "next_version": next_version,
            "upload_form": UploadForm() if "edit" in acts else None,
            "problems": _problems(sub) if "send" in acts else [],
        },
    )


def _problems(sub: Submission) -> list[str]:
    try:
        services.check_rules(sub)
    except ValidationError as exc:
        return exc.messages
    return []


@require_perm(VIEW)
def submission_docx_view(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_submission(request, pk)
    files = list(sub.attachments.filter(removed_at__isnull=True).order_by("pk"))
    return download(submission_docx(sub, files), docx_filename(sub))


def _detail(sub: Submission) -> str:
    return reverse("submissions:detail", args=[sub.pk])


@require_POST
@require_perm(CHANGE)
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_submission(request, pk)
    form = UploadForm(request.POST, request.FILES)
    return files.upload_step(
        request, form, lambda upload: services.add_attachment(request.user, sub.pk, upload), _detail(sub)
    )


def _file(request: HttpRequest, pk: int, attachment_pk: int) -> tuple[Submission, SubmissionAttachment]:
    sub = get_submission(request, pk)
    return sub, files.live_or_404(SubmissionAttachment.objects.filter(submission=sub), attachment_pk)


@require_perm(VIEW)
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Photos may be shown in the page (?inline=1); anything else is always a download."""
    _sub, a = _file(request, pk, attachment_pk)
    return files.serve(request, a)


@require_perm(CHANGE)
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    sub, a = _file(request, pk, attachment_pk)
    return files.remove_step(
        request,
        a,
        lambda: services.remove_attachment(request.user, sub.pk, a.pk),
        back=_detail(sub),
        question=_("删除后附件不再随请示报告报送，文件本身保留备查。确定删除吗？"),
    )
