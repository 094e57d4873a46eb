"""The words of an obligation's terms (``compliance.obligations``): its period and its condition. The obligations
themselves are versions in the one rule store (rules 0004 moved them; compliance 0004 dropped their table)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.rules.confidence import Confidence

__all__ = ["Activity", "Condition", "Confidence", "PeriodKind"]


class PeriodKind(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class Condition(models.TextChoices):
    NONE = "", _("无")
    HAS_COMMITTEE = "has_committee", _("仅设有委员会的组织")
    HAS_GROUPS = "has_groups", _("仅设有党小组的组织")


class Activity(models.TextChoices):
    """Obligations met by a record other than a meeting; the obligation's ``meeting_kind`` names one of these.

    民主评议党员 (党员教育管理工作条例 2019 第18条) is met by the branch's appraisal of the year once the members'
    meeting has confirmed it (``appraisal.AppraisalStatus.CONFIRMED``), not by a meeting of a kind.
    """

    APPRAISAL = "appraisal", _("民主评议党员")
