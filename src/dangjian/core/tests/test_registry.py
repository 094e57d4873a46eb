"""The contributions registry: core knows no domain app; the menu and notify-due iterate what apps register."""

from __future__ import annotations

import ast
import io
from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory

from dangjian.core import contributions as registry
from dangjian.core.context_processors import menu_entries, navigation
from dangjian.core.contributions import Contribution, HomeItem, Notification, contributions, listed, register
from dangjian.testing import make_tree, make_user

DOMAIN_APPS = (
    "orgs",
    "people",
    "meetings",
    "talks",
    "compliance",
    "appraisal",
    "development",
    "dues",
    "transfers",
    "care",
    "health",
    "ledger",
    "stats",
    "dashboard",
    "submissions",
)
CORE = Path(registry.__file__).parent


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out |= {f"{node.module}.{alias.name}" for alias in node.names}
    return out


def test_core_imports_no_domain_app():
    """Every module of core, at any depth and inside functions too (core's own tests are left out)."""
    offenders = []
    modules = [p for p in CORE.rglob("*.py") if "tests" not in p.relative_to(CORE).parts]
    assert len(modules) > 10
    for path in modules:
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "dangjian" and len(parts) > 1 and parts[1] in DOMAIN_APPS:
                offenders.append(f"{path.relative_to(CORE)}: {name}")
    assert offenders == []


def test_the_import_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from dangjian.dues.alerts import home_items\n", encoding="utf-8")
    assert "dangjian.dues.alerts" in _imports(module)


def test_every_domain_app_registers_its_contribution():
    apps = {c.app for c in contributions()}
    assert set(DOMAIN_APPS) | {"accounts", "audit"} <= apps
    with_home = {c.app for c in contributions() if c.home_items}
    assert {"orgs", "compliance", "development", "dues", "transfers", "care", "health"} <= with_home
    # compliance: items falling due; submissions: requests whose answer is due (请示报告)
    assert [c.app for c in contributions() if c.notifications] == ["compliance", "submissions"]


def test_the_menu_keeps_its_order_labels_and_groups():
    assert [(e.group, e.url_name, str(e.label)) for e in menu_entries()] == [
        ("dashboard", "dashboard:index", "仪表盘"),
        ("organization", "orgs:tree", "党组织"),
        ("organization", "orgs:departments", "行政部门"),
        ("organization", "people:list", "职工与党员"),
        ("records", "stats:report", "党内统计"),
        ("organization", "people:import", "花名册导入"),
        ("organization", "accounts:provision", "开通党员账号"),
        ("life", "meetings:list", "组织生活"),
        ("life", "compliance:heatmap", "组织生活合规"),
        ("life", "appraisal:list", "民主评议"),
        ("organization", "development:funnel", "发展党员"),
        ("records", "ledger:index", "党建台账"),
        ("organization", "dues:ledger", "党费"),
        ("organization", "transfers:list", "组织关系转接"),
        ("organization", "transfers:lost_list", "失联党员"),
        ("records", "submissions:list", "请示报告"),
        ("care", "care:obligations", "关心关爱"),
        ("care", "care:matters", "为群众办实事"),
        ("care", "health:index", "健康筛查"),
        ("care", "health:aggregates", "健康筛查统计"),
        ("life", "life:talks", "谈心谈话"),
        ("life", "life:hours", "学习学时"),
        ("life", "life:contact_points", "联系点"),
        ("records", "facts:index", "事实与指标"),
        ("assessment", "assessment:cycles", "党建工作责任制考核"),
        ("assessment", "assessment:systems", "考核指标体系"),
        ("assessment", "assessment:brands", "一支部一特色"),
        ("assessment", "assessment:report_meetings", "述职评议"),
        ("assessment", "assessment:rectifications", "整改清单"),
        ("assessment", "integration:hub", "党建与业务融合"),
        ("system", "accounts:users", "账号管理"),
        ("system", "accounts:assignments", "角色授权"),
        ("system", "accounts:policy", "安全策略"),
        ("system", "audit:log", "审计日志"),
        ("system", "rules:catalogue", "规则与依据"),
    ]


@pytest.mark.django_db
def test_the_menu_shows_what_the_role_may_open_and_hides_statistics_from_health_officers():
    t = make_tree()
    rf = RequestFactory()

    def menu(user):
        request = rf.get("/")
        request.user = user
        return [url for url, _label in navigation(request)["nav_items"]]

    health = menu(make_user("ho", "health_officer", t.root))
    assert "health:index" in health and "health:aggregates" not in health
    leader = menu(make_user("ld", "leader", t.root))
    assert "health:aggregates" in leader and "health:index" not in leader
    member = menu(make_user("mb", "member", t.branch1))
    assert "people:list" in member and "accounts:users" not in member and "dues:ledger" in member
    assert menu(make_user("sys", "sysadmin")) == ["accounts:users"]


def test_listed_adds_one_line_for_the_rest_of_a_kind():
    first = [HomeItem("late", "党费欠缴", f"甲{i}", f"/p/{i}/", "dues", more="/dues/arrears/") for i in range(3)]
    items = listed(first, 10, text="另有%(n)d名党员")
    assert len(items) == 4 and items[3].count == 7 and items[3].text == "另有7名党员"
    assert items[3].link == "/dues/arrears/" and items[3].kind == "党费欠缴"
    assert listed(first, 3, text="另有%(n)d名党员") == first
    assert listed([], 5, text="另有%(n)d名党员") == []


@pytest.mark.django_db
def test_notify_due_sends_what_every_registered_app_yields(settings):
    """A contribution registered by any app is mailed by notify-due: core does not name the apps."""
    settings.EMAIL_HOST = "smtp.example.cn"
    user = make_user("reminded")
    user.email = "reminded@example.cn"
    user.save()
    silent = make_user("no-email")

    def notifications(today: date):
        yield Notification(user.pk, "测试提醒：1 项", ("- 第一项",))
        yield Notification(silent.pk, "不会发出", ("- 没有邮箱",))

    register(Contribution(app="reminder_test", notifications=notifications))
    try:
        out = io.StringIO()
        call_command("notify_due", "--dry-run", stdout=out)
        assert "reminded@example.cn: 测试提醒：1 项" in out.getvalue() and not mail.outbox
        call_command("notify_due", stdout=io.StringIO())
    finally:
        registry._registry.pop("reminder_test")
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [(["reminded@example.cn"], "测试提醒：1 项", "- 第一项")]
