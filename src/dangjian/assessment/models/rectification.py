"""三张清单 (``Rectification``): a unit flagged 后进 after an assessment is talked to (约谈) and rectifies —
each item is one problem (问题清单), who answers for it (责任清单) and the measure with its deadline (整改清单),
tracked to closure with evidence. 《中国共产党党内监督条例》第十九条 (约谈) and the 党建工作责任制 rules on 整改落实.

Open → done (the unit's completion note, optional evidence) → accepted by the office (验收) or reopened; an item
recorded by mistake is withdrawn with its reason, never deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedQuerySet
from dangjian.core.models import TimestampedModel

# The unit's own records: its secretary and the office above keep (``orgs.change``) and see them.
RECTIFICATION_VIEW = "orgs.change"


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    DONE = "done", _("待验收")
    ACCEPTED = "accepted", _("已验收")
    WITHDRAWN = "withdrawn", _("已撤销")


def rectification_evidence_path(instance: Rectification, filename: str) -> str:
    return f"assessment/rectification/{instance.organization_id}/{filename}"


class Rectification(TimestampedModel):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("整改单位")
    )
    cycle = models.ForeignKey(
        "assessment.AssessmentCycle",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("考核周期"),
    )
    indicator = models.ForeignKey(
        "assessment.Indicator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("来源指标"),
    )
    source = models.CharField(_("问题来源"), max_length=100, blank=True)
    problem = models.TextField(_("存在问题"))
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任人")
    )
    owner_text = models.CharField(_("责任人（文字）"), max_length=100, blank=True)
    measure = models.TextField(_("整改措施"), blank=True)
    deadline = models.DateField(_("整改时限"))
    status = models.CharField(
        _("状态"), max_length=20, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    completion_note = models.TextField(_("整改情况"), blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to=rectification_evidence_path, blank=True)
    evidence_name = models.CharField(_("文件名"), max_length=200, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(_("验收意见"), blank=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤销原因"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = models.Manager.from_queryset(ScopedQuerySet)()
    scoped_by = ScopedBy(RECTIFICATION_VIEW, organization="organization")

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["organization", "status", "deadline"], name="assessment_rect_org_status")]

    def __str__(self) -> str:
        return self.problem[:40]

    @property
    def owner_name(self) -> str:
        return self.owner.name if self.owner_id and self.owner else self.owner_text
