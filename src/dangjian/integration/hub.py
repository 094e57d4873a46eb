"""The one menu entry of party work inside the business: a page of its sections, each link shown to those who may
open it. The main menu stays short; the parts (key tasks, carriers, plan, talent) are reached from here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import has_perm
from dangjian.core.scoping import require_perm

VIEW = "integration.view"
CHANGE = "integration.change"


@dataclass(frozen=True)
class Link:
    perm: str
    url_name: str
    label: Any
    hint: Any = ""


SECTIONS: tuple[tuple[Any, tuple[Link, ...]], ...] = (
    (
        _("业务工作与融合矩阵"),
        (
            Link(VIEW, "integration:matrix", _("融合矩阵"), _("重点任务 × 党建载体，空白即短板")),
            Link(VIEW, "integration:project_list", _("重点任务"), _("科研项目、生产任务、重大任务与攻关课题")),
            Link(VIEW, "integration:line_list", _("主业与业务流程"), _("四大主业及其业务流程环节")),
        ),
    ),
    (
        _("年度工作计划（四同）"),
        (
            Link(VIEW, "workplan:plans", _("党建工作要点与计划"), _("同谋划、同部署、同推进、同考核")),
            Link(VIEW, "workplan:deployments", _("部署任务"), _("责任人、措施、时限与季度推进")),
        ),
    ),
    (
        _("党员作用发挥"),
        (
            Link(VIEW, "integration:post_list", _("党员示范岗"), _("申请、审批授牌、评议")),
            Link(VIEW, "integration:zone_list", _("党员责任区"), _("责任范围、承诺与定期履责报告")),
            Link(VIEW, "integration:taskforce_list", _("突击队/攻关团队"), _("围绕重点任务组建、授旗、汇报、解散")),
            Link(VIEW, "integration:pledge_mine", _("我的承诺"), _("亮身份、守承诺、作表率")),
            Link(CHANGE, "integration:pledge_review", _("承诺审核"), _("审核承诺、年终践诺评议")),
            Link(VIEW, "integration:pledge_public", _("承诺公示"), _("已公示的党员承诺")),
        ),
    ),
    (
        _("共建与联席"),
        (
            Link(VIEW, "integration:partner_list", _("支部共建"), _("共建单位、协议与共建活动")),
            Link(VIEW, "integration:liaison_list", _("联席"), _("所领导与基层单位联席及跟进落实")),
            Link(VIEW, "integration:liaison_leaders", _("联席与联系点统计"), _("每位领导的联席、联系点与调研次数")),
        ),
    ),
    (
        _("人才培养"),
        (
            Link(VIEW, "talent:reserve_list", _("书记储备"), _("储备优秀党支部书记的培养与考察")),
            Link(VIEW, "talent:mentorship_list", _("导师带徒"), _("师徒结对、阶段评价与出师")),
            Link(VIEW, "talent:class_list", _("青马班"), _("班次、课程、出勤与结业")),
        ),
    ),
)


def sections_for(user: Any) -> list[tuple[Any, list[tuple[str, Any, Any]]]]:
    out = []
    for title, links in SECTIONS:
        shown = []
        for link in links:
            if not has_perm(user, link.perm):
                continue
            try:
                shown.append((reverse(link.url_name), link.label, link.hint))
            except NoReverseMatch:  # a part not installed
                continue
        if shown:
            out.append((title, shown))
    return out


@require_perm(VIEW)
def hub(request: HttpRequest) -> HttpResponse:
    return render(request, "integration/hub.html", {"sections": sections_for(request.user)})
