"""Photos and scanned documents of a meeting: upload and soft removal, with type and size limits.

A file is accepted only when its extension *and* its content agree on one of the
allowed types (``core.uploads``), so a renamed executable or an HTML page named ``.jpg`` is refused.
Files are stored under a random name (the original name is kept for display) and are
served only through the scoped download view, never from a public media URL.
"""

from __future__ import annotations

import os
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, snapshot
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
    display_name = os.path.basename(upload.name or "")[-200:]
    with transaction.atomic():
        meeting = recheck(Meeting.objects.all(), user, PERM, meeting_id)
        _changeable(meeting)
        attachment = Attachment(
            meeting=meeting, name=display_name, size=upload.size, content_type=content_type, uploaded_by=user
        )
        # A random stored name: nothing the uploader typed reaches the file system.
        attachment.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
        try:
            attachment.save()
            record("create", attachment, after=snapshot(attachment), detail={"meeting": meeting.pk})
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def remove_attachment(user, meeting_id: int, attachment_id: int) -> Attachment:
    """Soft removal: the row and the file stay for the record, the meeting page no longer lists it."""
    with transaction.atomic():
        meeting = recheck(Meeting.objects.all(), user, PERM, meeting_id)
        _changeable(meeting)
        attachment = (
            Attachment.objects.select_for_update()
            .filter(meeting=meeting, pk=attachment_id, removed_at__isnull=True)
            .first()
        )
        if attachment is None:
            raise ValidationError(_("附件不存在或已删除"))
        attachment.removed_at = timezone.now()
        attachment.save(update_fields=["removed_at", "updated_at"])
        record(
            "delete",
            attachment,
            before={"removed_at": None},
            after={"removed_at": attachment.removed_at.isoformat()},
            detail={"meeting": meeting.pk},
        )
    return attachment
