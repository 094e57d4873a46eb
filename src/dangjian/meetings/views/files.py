"""Attachments: upload, scoped download, soft removal. Files are never served from a public media URL."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.downloads import disposition
from dangjian.core.scoping import get_visible, require_perm

from .. import attachments as service
from ..forms import AttachmentForm
from ..models import Attachment, Meeting

INLINE_TYPES = {"image/jpeg", "image/png"}


def _detail(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk]) + "#attachments"


@require_POST
@require_perm("meetings.change")
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_visible(Meeting.objects.all(), request.user, "meetings.change", pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_detail(meeting))
    try:
        attachment = service.add_attachment(request.user, meeting.pk, form.cleaned_data["file"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已上传 %(name)s") % {"name": attachment.name})
    return redirect(_detail(meeting))


def _attachment(request: HttpRequest, pk: int, attachment_pk: int, perm: str) -> tuple[Meeting, Attachment]:
    meeting = get_visible(Meeting.objects.all(), request.user, perm, pk=pk)
    attachment = Attachment.objects.filter(meeting=meeting, pk=attachment_pk, removed_at__isnull=True).first()
    if attachment is None:
        raise Http404(_("附件不存在"))
    return meeting, attachment


@require_perm("meetings.view")
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Photos may be shown in the page (?inline=1); anything else is always a download."""
    meeting, attachment = _attachment(request, pk, attachment_pk, "meetings.view")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("附件文件缺失")) from None
    inline = request.GET.get("inline") == "1" and attachment.content_type in INLINE_TYPES
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = disposition(attachment.name, inline=inline)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_perm("meetings.change")
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    meeting, attachment = _attachment(request, pk, attachment_pk, "meetings.change")
    if request.method == "POST":
        try:
            service.remove_attachment(request.user, meeting.pk, attachment.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已删除附件 %(name)s（文件保留备查）") % {"name": attachment.name})
        return redirect(_detail(meeting))
    return render(
        request,
        "core/confirm.html",
        {
            "title": _("删除附件 %(name)s") % {"name": attachment.name},
            "question": _("删除后附件不再出现在会议页面，文件本身保留备查。确定删除吗？"),
            "confirm_label": _("确认删除"),
            "cancel_url": _detail(meeting),
        },
    )
