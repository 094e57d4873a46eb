from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import has_perm

# (perm, url name, label); the menu shows only what the user can open.
NAV = [
    ("orgs.view", "orgs:tree", _("党组织")),
    ("orgs.view", "orgs:departments", _("行政部门")),
    ("people.view", "people:list", _("职工与党员")),
    ("people.import", "people:import", _("花名册导入")),
    ("meetings.view", "meetings:list", _("组织生活")),
    ("meetings.view", "compliance:heatmap", _("组织生活合规")),
    ("appraisal.view", "appraisal:list", _("民主评议")),
    ("development.view", "development:funnel", _("发展党员")),
    ("dues.view", "dues:ledger", _("党费")),
    ("transfers.view", "transfers:list", _("组织关系转接")),
    ("transfers.view", "transfers:lost_list", _("失联党员")),
    ("care.view", "care:obligations", _("关心关爱")),
    ("care.view", "care:matters", _("为群众办实事")),
    ("health.values", "health:index", _("健康筛查")),
    ("health.aggregates", "health:aggregates", _("健康筛查统计")),
    ("life.view", "life:talks", _("谈心谈话")),
    ("life.view", "life:hours", _("学习学时")),
    ("life.view", "life:contact_points", _("联系点")),
    ("accounts.manage", "accounts:users", _("账号管理")),
    ("accounts.assign_roles", "accounts:assignments", _("角色授权")),
    ("accounts.policy", "accounts:policy", _("安全策略")),
    ("audit.view", "audit:log", _("审计日志")),
]

# An entry left out for users who have the other permission: health officers reach the statistics from their
# own 健康筛查 page, so their menu keeps one health entry.
NAV_HIDDEN_WITH = {"health:aggregates": "health.values"}


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {
        "nav_items": [
            (url, label)
            for perm, url, label in NAV
            if has_perm(user, perm) and not (url in NAV_HIDDEN_WITH and has_perm(user, NAV_HIDDEN_WITH[url]))
        ]
    }
