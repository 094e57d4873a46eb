"""述职评议: the yearly meeting at which the secretaries of the subtree report on their party-building work and are
rated (党委（党组）书记抓基层党建工作述职评议考核办法（试行）: 述职、评议、考核, the results used in the secretaries'
assessment and the problems found to be rectified; cited by name only — the year and the article numbers were not
verified here, and the 办法 leaves the groups' weights and the scoring to the committee, hence 本单位设置).

A meeting belongs to the committee holding it; its office keeps it. The rater groups' weights, the points of each
grade and the overall grades' least scores are settings of the rule store (本单位设置, ``assessment.rule_data``):
a draft follows the settings in force, and opening the vote copies them onto the meeting, so a result is reckoned
and explained with the numbers it was run with after the settings change. The stages move one way: 草稿 (the
office adds secretaries and raters) → 测评中 (raters vote online, the office enters paper tallies) → 已结束 (results
shown; nothing more is counted).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedQuerySet
from dangjian.core.models import TimestampedModel

MANAGE = "assessment.manage"


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    VOTING = "voting", _("测评中")
    CLOSED = "closed", _("已结束")


class RaterGroup(models.TextChoices):
    """The rater groups the 办法 names for the 评议 (委员, 其他书记, 党员和群众代表)."""

    COMMITTEE = "committee", _("党委委员")
    SECRETARIES = "secretaries", _("其他书记")
    MEMBERS = "members", _("党员代表")
    STAFF = "staff", _("职工代表")


class ReportGrade(models.TextChoices):
    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


GRADES = tuple(ReportGrade.values)


class ReportMeetingQuerySet(ScopedQuerySet):
    pass


class ReportMeeting(TimestampedModel):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="report_meetings", verbose_name=_("党委")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    held_on = models.DateField(_("会议日期"))
    title = models.CharField(_("名称"), max_length=100)
    status = models.CharField(_("状态"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT)
    # Fixed when the vote opens (``report_scale``), from the rule store; empty while a draft follows the rules.
    # {group: percent}, one key per RaterGroup, adding up to 100 (本单位设置)
    weights = models.JSONField(_("权重"), default=dict)
    # {grade: points} of a secretary's score, and {grade: least score} of the overall grades but 差
    points = models.JSONField(_("等次分数"), default=dict, blank=True)
    bands = models.JSONField(_("等次分数线"), default=dict, blank=True)
    # {group: number of paper forms collected}: a paper tally of a secretary in a group cannot count more votes
    papers = models.JSONField(_("收回纸质测评表"), default=dict, blank=True)
    opened_at = models.DateTimeField(_("开始测评时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ReportMeetingQuerySet.as_manager()
    scoped_by = ScopedBy(MANAGE, organization="organization")

    class Meta:
        verbose_name = _("述职评议")
        verbose_name_plural = _("述职评议")
        ordering = ["-year", "-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def paper_count(self, group: str) -> int:
        return int((self.papers or {}).get(group, 0))


class SecretaryReport(TimestampedModel):
    """One secretary's report (述职报告) at a meeting, with the committee secretary's remarks (点评) and the
    problems found, to be carried into the 三张清单 (问题/责任/整改; GLOSSARY ``Rectification``). No
    ``Rectification`` model exists yet: ``problems`` is the text it will be created from, one problem a line."""

    meeting = models.ForeignKey(ReportMeeting, on_delete=models.PROTECT, related_name="reports")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="secretary_reports", verbose_name=_("述职书记")
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在党组织")
    )
    order = models.PositiveSmallIntegerField(_("述职顺序"), default=0)
    text = models.TextField(_("述职报告"), blank=True)
    file = models.FileField(_("述职报告文件"), upload_to="secretary_reports/%Y/", blank=True)
    remarks = models.TextField(_("党委书记点评"), blank=True)
    problems = models.TextField(_("存在问题（纳入三张清单）"), blank=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("书记述职")
        verbose_name_plural = _("书记述职")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="assessment_one_report_per_secretary",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}（{self.organization}）"
