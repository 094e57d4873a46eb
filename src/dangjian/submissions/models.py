"""Requests and reports to the organisation above (请示报告, GLOSSARY ``Submission``).

A branch, a general branch or a committee sends a request (请示: one matter, awaiting an answer) or a report
(报告: for information) to an organisation above it — by default the nearest 党委 above. It is drafted, then sent
under a 文号 numbered per sending organisation and year (量子室党支部〔2026〕3号), received by the committee office
over the addressee, and answered: a request approved (同意) or returned with reasons (退回), a report read (已阅)
or returned. A returned one is sent again as a new version linked to the old. The answer is kept on the row
(who, when, decision, text). 个人有关事项 are a leader's own: only the sender and the answering office see them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedQuerySet, ScopedSoftDeleteQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel, TimestampedModel

VIEW = "submissions.view"


class Kind(models.TextChoices):
    REQUEST = "request", _("请示")
    REPORT = "report", _("报告")


class Category(models.TextChoices):
    MAJOR = "major", _("重大事项")
    ELECTION = "election", _("换届选举")
    DEVELOPMENT = "development", _("发展党员")
    LIFE_MEETING = "life_meeting", _("组织生活会情况")
    SUMMARY = "summary", _("年度工作总结")
    PERSONAL = "personal", _("个人有关事项")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SENT = "sent", _("已报送，待签收")
    RECEIVED = "received", _("已签收，待办理")
    APPROVED = "approved", _("同意")
    RETURNED = "returned", _("退回")
    READ = "read", _("已阅")


# Waiting on the office above (a request past its deadline in one of these is overdue).
PENDING = (Status.SENT, Status.RECEIVED)
ANSWERED = (Status.APPROVED, Status.RETURNED, Status.READ)


class SubmissionQuerySet(ScopedSoftDeleteQuerySet):
    pass


class Submission(SoftDeleteModel):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="submissions_sent", verbose_name=_("报送组织")
    )
    addressee = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="submissions_received", verbose_name=_("主送组织")
    )
    kind = models.CharField(_("文种"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    # the year the document belongs to: the year it was drafted, then the year it was sent
    year = models.PositiveIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"), null=True, blank=True, editable=False)
    document_number = models.CharField(_("文号"), max_length=80, blank=True, editable=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("拟稿人")
    )
    sent_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("答复期限"), null=True, blank=True)
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # the answer (批复 / 退回 / 已阅): who, when, the decision (the status) and its text
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_text = models.TextField(_("答复意见"), blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resubmissions",
        verbose_name=_("退回前的版本"),
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    withdraw_reason = models.TextField(_("撤回原因"), blank=True)

    objects = AliveManager.from_queryset(SubmissionQuerySet)()
    all_objects = models.Manager.from_queryset(SubmissionQuerySet)()
    # the sending organisation's subtree and the addressee's (the office above) see it; 个人有关事项 are narrowed
    # further by ``queries.visible``
    scoped_by = ScopedBy(VIEW, organization=("organization", "addressee"))

    class Meta:
        verbose_name = _("请示报告")
        verbose_name_plural = _("请示报告")
        ordering = ["-year", "-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "year"], name="submission_org_year"),
            models.Index(fields=["addressee", "status"], name="submission_addressee_status"),
            models.Index(fields=["status", "deadline"], name="submission_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "seq"], condition=Q(seq__isnull=False), name="submission_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_personal(self) -> bool:
        return self.category == Category.PERSONAL

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING


def attachment_path(instance: SubmissionAttachment, filename: str) -> str:
    return f"submissions/{instance.submission_id}/{filename}"


class SubmissionAttachment(TimestampedModel):
    """A file sent with a submission (附件), checked by its content (``core.uploads``), stored under a random name
    and served only through the scoped download page. Removed softly, and only while the submission is a draft."""

    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("请示报告")
    )
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("附件名称"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scoped_by = ScopedBy(VIEW, organization=("submission__organization", "submission__addressee"))

    class Meta:
        verbose_name = _("请示报告附件")
        verbose_name_plural = _("请示报告附件")
        ordering = ["submission", "pk"]

    def __str__(self) -> str:
        return self.name
