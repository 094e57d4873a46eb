from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceStatus(models.TextChoices):
    UNKNOWN = "unknown", _("未登记")
    PRESENT = "present", _("出席")
    EXCUSED = "excused", _("请假")
    ABSENT = "absent", _("缺席")
    ELSEWHERE = "elsewhere", _("异地参加")


class Attendance(models.Model):
    """One expected (or extra) attendee of a meeting.

    ``voting`` is fixed when the roster is taken: probationary members attend
    but do not vote (党章 art. 7), nor do members under 留党察看 (党章 art. 40).
    ``exemption`` marks a member left out of 应到会 with the upper organisation's
    approval (``expected`` is then False): they may still attend and sign in.
    """

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="attendances")
    expected = models.BooleanField(_("应到"), default=True)
    voting = models.BooleanField(_("有表决权"), default=True)
    status = models.CharField(_("出席情况"), max_length=20, choices=AttendanceStatus.choices, default="unknown")
    reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    via_qr = models.BooleanField(_("扫码签到"), default=False)
    exemption = models.ForeignKey(
        "meetings.AttendanceExemption",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("不计入应到会人数"),
    )

    class Meta:
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person")]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person} {self.get_status_display()}"
