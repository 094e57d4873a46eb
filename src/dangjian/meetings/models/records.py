from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimestampedModel


class Resolution(TimestampedModel):
    """A decision put to the vote; ``due_voting`` is the roster's figure when the vote was recorded."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="resolutions")
    title = models.CharField(_("事项"), max_length=200)
    due_voting = models.PositiveIntegerField(_("应到有表决权人数"))
    yes = models.PositiveIntegerField(_("赞成"))
    no = models.PositiveIntegerField(_("反对"))
    abstain = models.PositiveIntegerField(_("弃权"))
    passed = models.BooleanField(_("通过"))

    class Meta:
        verbose_name = _("表决事项")
        verbose_name_plural = _("表决事项")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"meetings/{instance.meeting_id}/{filename}"


class Attachment(TimestampedModel):
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class Amendment(TimestampedModel):
    """A correction to locked minutes: the old text is kept with the reason (records are never rewritten)."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="amendments")
    reason = models.CharField(_("更正原因"), max_length=300)
    before = models.TextField(_("更正前"))
    after = models.TextField(_("更正后"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("更正记录")
        verbose_name_plural = _("更正记录")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.reason
