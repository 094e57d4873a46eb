"""Files attached to a record (a meeting's photos, a submission's 附件): storing, soft removal, serving, and the
page steps around them, shared by every app whose attachment model has the same fields.

An attachment model has ``file`` (a FileField), ``name`` (the name the uploader gave, for display), ``size``,
``content_type`` (the checked type, ``core.uploads``), ``uploaded_by`` and ``removed_at``. The owner's write
function checks who may and whether the record still takes files, then calls ``store`` or ``remove`` inside its
transaction; its views call ``live_or_404``, ``serve``, ``upload_step`` and ``remove_step``.

- Stored under a random name: nothing the uploader typed reaches the file system.
- Never served from a public media URL: only through the app's scoped download view, as a download
  (``Content-Disposition: attachment``) unless it is a photo asked for inline, in a sandbox, never cached
  (GB/T 22239-2019 8.1.4.5 c, 8.1.4.8: what was uploaded is not run in the user's browser, nor left on a shared PC).
- Removal is soft: the row and the file stay for the record. Every write is audited.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, snapshot

from .downloads import disposition

# the only types a browser may show in the page (?inline=1): photos; anything else is always a download
INLINE_TYPES = frozenset({"image/jpeg", "image/png"})
SANDBOX = "default-src 'none'; sandbox"


def display_name(upload: UploadedFile) -> str:
    """The name shown for the file: the uploader's base name, its last 200 characters (the model's limit)."""
    return os.path.basename(upload.name or "")[-200:]


def store(attachment: models.Model, upload: UploadedFile, ext: str, *, detail: dict[str, Any]) -> models.Model:
    """Saves ``attachment`` (unsaved, its fields filled) with ``upload`` under a random name ending in ``ext``, and
    audits it with ``detail`` (the record it belongs to). Call it inside the owner's transaction: when the row
    cannot be saved the file written is deleted again, so no stray file is left behind."""
    attachment.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)  # type: ignore[attr-defined]
    try:
        attachment.save()
        record("create", attachment, after=snapshot(attachment), detail=detail)
    except Exception:
        attachment.file.delete(save=False)  # type: ignore[attr-defined]
        raise
    return attachment


def remove(live: models.QuerySet, attachment_pk: int, *, detail: dict[str, Any]) -> models.Model:
    """Soft removal of the attachment ``attachment_pk`` among ``live`` (the record's attachments, already limited
    to that record): locked, marked removed, audited with ``detail``. Call it inside the owner's transaction."""
    attachment = live.select_for_update().filter(pk=attachment_pk, removed_at__isnull=True).first()
    if attachment is None:
        raise ValidationError(_("附件不存在或已删除"))
    attachment.removed_at = timezone.now()
    attachment.save(update_fields=["removed_at", "updated_at"])
    record(
        "delete",
        attachment,
        before={"removed_at": None},
        after={"removed_at": attachment.removed_at.isoformat()},
        detail=detail,
    )
    return attachment


def live_or_404(live: models.QuerySet, attachment_pk: int) -> Any:
    """The attachment ``attachment_pk`` among ``live`` (the record's, already scoped), unless removed; 404 else."""
    attachment = live.filter(pk=attachment_pk, removed_at__isnull=True).first()
    if attachment is None:
        raise Http404(_("附件不存在"))
    return attachment


def serve(request: HttpRequest, attachment: Any) -> FileResponse:
    """The file as a download, or shown in the page when it is a photo and ``?inline=1`` asks for it."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("附件文件缺失")) from None
    inline = request.GET.get("inline") == "1" and attachment.content_type in INLINE_TYPES
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = disposition(attachment.name, inline=inline)
    response["Content-Security-Policy"] = SANDBOX
    response["Cache-Control"] = "private, no-store"
    return response


def upload_step(request: HttpRequest, form, add: Callable[[UploadedFile], Any], back: str) -> HttpResponse:
    """The upload form posted: ``add(file)`` when it is valid, the outcome as a message, back to ``back``."""
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        attachment = add(form.cleaned_data["file"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已上传 %(name)s") % {"name": attachment.name})
    return redirect(back)


def remove_step(
    request: HttpRequest, attachment: Any, remove_it: Callable[[], Any], *, back: str, question: str
) -> HttpResponse:
    """Removing a file: a confirmation page on GET, ``remove_it()`` on POST with its outcome as a message."""
    if request.method == "POST":
        try:
            remove_it()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已删除附件 %(name)s（文件保留备查）") % {"name": attachment.name})
        return redirect(back)
    return render(
        request,
        "core/confirm.html",
        {
            "title": _("删除附件 %(name)s") % {"name": attachment.name},
            "question": question,
            "confirm_label": _("确认删除"),
            "cancel_url": back,
        },
    )
