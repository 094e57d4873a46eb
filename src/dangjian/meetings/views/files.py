"""Attachments: upload, scoped download, soft removal. Files are never served from a public media URL."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core import attachments as files
from dangjian.core.scoping import get_visible, require_perm

from .. import attachments as service
from ..forms import AttachmentForm
from ..models import Attachment, Meeting


def _detail(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk]) + "#attachments"


@require_POST
@require_perm("meetings.change")
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_visible(Meeting.objects.all(), request.user, "meetings.change", pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    return files.upload_step(
        request, form, lambda upload: service.add_attachment(request.user, meeting.pk, upload), _detail(meeting)
    )


def _attachment(request: HttpRequest, pk: int, attachment_pk: int, perm: str) -> tuple[Meeting, Attachment]:
    meeting = get_visible(Meeting.objects.all(), request.user, perm, pk=pk)
    return meeting, files.live_or_404(Attachment.objects.filter(meeting=meeting), attachment_pk)


@require_perm("meetings.view")
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Photos may be shown in the page (?inline=1); anything else is always a download."""
    _meeting, attachment = _attachment(request, pk, attachment_pk, "meetings.view")
    return files.serve(request, attachment)


@require_perm("meetings.change")
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    meeting, attachment = _attachment(request, pk, attachment_pk, "meetings.change")
    return files.remove_step(
        request,
        attachment,
        lambda: service.remove_attachment(request.user, meeting.pk, attachment.pk),
        back=_detail(meeting),
        question=_("删除后附件不再出现在会议页面，文件本身保留备查。确定删除吗？"),
    )
