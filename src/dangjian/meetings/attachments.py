"""Photos and scanned documents of a meeting: upload and soft removal, with type and size limits.

A file is accepted only when its extension *and* its content agree on one of the
allowed types (``core.uploads``), so a renamed executable or an HTML page named ``.jpg`` is refused.
Storing, removing and serving are ``core.attachments``'s (random stored names, soft removal, audited, served only
through the scoped download view); this module says which files a meeting takes and when.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core import attachments as files
from dangjian.core.scoping import recheck
from dangjian.core.uploads import accept_attribute, check_upload

from .models import Attachment, Meeting, MeetingStatus

PERM = "meetings.change"
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
EXTENSIONS = (".jpg", ".jpeg", ".png", ".pdf")
ACCEPT = accept_attribute(EXTENSIONS)


def check_file(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable file; ValidationError in Chinese otherwise."""
    return check_upload(upload, EXTENSIONS, MAX_ATTACHMENT_BYTES, _("JPG、PNG 图片或 PDF 文件"))


def _changeable(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.LOCKED:
        raise ValidationError(_("会议记录已归档，附件不能再增删"))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("会议已取消"))


def add_attachment(user, meeting_id: int, upload: UploadedFile) -> Attachment:
    ext, content_type = check_file(upload)
    with transaction.atomic():
        meeting = recheck(Meeting.objects.all(), user, PERM, meeting_id)
        _changeable(meeting)
        attachment = Attachment(
            meeting=meeting,
            name=files.display_name(upload),
            size=upload.size or 0,
            content_type=content_type,
            uploaded_by=user,
        )
        files.store(attachment, upload, ext, detail={"meeting": meeting.pk})
    return attachment


def remove_attachment(user, meeting_id: int, attachment_id: int) -> Attachment:
    """Soft removal: the row and the file stay for the record, the meeting page no longer lists it."""
    with transaction.atomic():
        meeting = recheck(Meeting.objects.all(), user, PERM, meeting_id)
        _changeable(meeting)
        removed = files.remove(meeting.attachments.all(), attachment_id, detail={"meeting": meeting.pk})
    return removed  # type: ignore[return-value]
