"""Labels of the inputs fact providers report, so the page shows "应到人次", not "expected"."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

INPUT_LABELS = {
    "as_of": _("统计日"),
    "branches": _("当年存在的党支部"),
    "consecutive_months": _("连续未交月数标准"),
    "covered": _("已达到次数的党员"),
    "done": _("已确认"),
    "due": _("应完成"),
    "expected": _("应到人次"),
    "held": _("已召开"),
    "in_time": _("按时办结"),
    "late_done": _("逾期办结"),
    "members": _("党员人数"),
    "met": _("已完成"),
    "min_group": _("最少统计人数"),
    "minimum_hours": _("年度最低学时"),
    "minimum_talks": _("每年最少谈话次数"),
    "month": _("统计月"),
    "not_in_time": _("未按时办结"),
    "open_cases": _("进行中的案卷"),
    "opened": _("已启动评议"),
    "overdue": _("逾期未完成"),
    "owing": _("应交党费的党员"),
    "paid": _("已交或免交的党员"),
    "present": _("出席人次"),
    "quorum_failed": _("未达到法定人数的会议"),
    "reached": _("达到年度最低学时的党员"),
    "recognised": _("特色项目获认定的党支部"),
    "titled": _("持有标杆党支部称号的单位"),
    "under": _("学时不足的党员"),
    "validity_months": _("介绍信有效期（月）"),
    "withheld": _("不予显示（不足5人或可推算出不足5人的组）"),
}
