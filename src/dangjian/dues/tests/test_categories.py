"""The dues categories and approvals of the 2008 规定 (关于中国共产党党费收缴、使用和管理的规定, 中组发〔2008〕3号).

The articles as the regulation numbers them, read in public copies of its text (a question-and-answer page
quoting 第二条 to 第十条 in full, and a legal-information page quoting 第一条 to 第四条 and 第六条):

- 第二条 "党员交纳党费的比例为：每月工资收入（税后）在3000元以下（含3000元）者，交纳月工资收入的0.5%；3000元以上至
  5000元（含5000元）者，交纳1%；5000元以上至10000元（含10000元）者，交纳1.5%；10000元以上者，交纳2%。"
- 第三条 "实行年薪制人员中的党员，每月以当月实际领取的薪酬收入为计算基数，参照第一条、第二条规定交纳党费。"
- 第四条 "不按月取得收入的个体经营者等人员中的党员，每月以个人上季度月平均纯收入为计算基数，参照第一条、第二条
  规定交纳党费。"
- 第五条 "离退休干部、职工中的党员，每月以实际领取的离退休费总额或养老金总额为计算基数，5000元以下（含5000元）的
  按0.5%交纳党费，5000元以上的按1%交纳党费。"
- 第六条 "农民党员每月交纳党费0.2元－1元。学生党员、下岗失业的党员、依靠抚恤或救济生活的党员、领取当地最低生活
  保障金的党员，每月交纳党费0.2元。"
- 第七条 "交纳党费确有困难的党员，经党支部研究，报上一级党委批准后，困难的党员可以少交或者免交。"
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.dues import services, summary
from dangjian.dues.facts import DuesFacts
from dangjian.dues.ledger import compute
from dangjian.dues.models import DuesBase, DuesRelief
from dangjian.dues.months import month_start
from dangjian.dues.paysheet import import_pay_sheet
from dangjian.dues.rule_data import DUES_RULES
from dangjian.dues.rules import CATEGORIES, dues_for
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership
from dangjian.rules import services as rule_store
from dangjian.testing import make_member, make_user

from .test_paysheet import _xlsx

ON = date(2025, 6, 1)


@pytest.mark.parametrize(
    "base, expected",
    [
        ("3000", "15.00"),  # 第二条: 0.5% up to and including 3000
        ("3000.01", "30.00"),  # 1% above it
        ("10000", "150.00"),
        ("10000.01", "200.00"),  # 2% above 10000
        ("245000", "4900.00"),  # the month the performance pay is paid: all of it is that month's base
    ],
)
@pytest.mark.parametrize("category", ["annual_salary", "self_employed"])
def test_annual_salary_and_self_employed_bases_pay_the_employee_bands(category, base, expected):
    """第三条 / 第四条: their own base (the pay received that month; the previous quarter's average monthly net
    income), charged at the bands of 第二条 — not divided by twelve, not a fixed amount."""
    result = dues_for(category, D(base), on=ON)
    assert result.amount == D(expected)
    article = "第三条" if category == "annual_salary" else "第四条"
    assert article in result.citation and "第二条" in result.citation


@pytest.mark.parametrize("category", ["welfare", "subsistence"])
def test_members_on_relief_or_subsistence_pay_a_fixed_twenty_fen_whatever_the_base(category):
    """第六条: "依靠抚恤或救济生活的党员、领取当地最低生活保障金的党员，每月交纳党费0.2元"."""
    for base in ("0", "1500", "9000"):
        result = dues_for(category, D(base), on=ON)
        assert result.amount == D("0.20") and "第六条" in result.citation


def test_each_rule_cites_the_article_that_holds_it():
    """The bands are in 第二条 (not "第一条第（一）项"), retirees in 第五条, the fixed amounts in 第六条."""
    cited = {key: DUES_RULES.rule(key, ON).citation for key in DUES_RULES.keys()}  # noqa: SIM118 - not a dict
    assert not any("第一条第（" in c for c in cited.values())
    assert "第二条" in cited["dues.employee_bands"]
    assert cited["dues.retiree_bands"].endswith("第五条")
    for key in ("farmer", "farmer_max", "student", "unemployed", "welfare", "subsistence"):
        assert cited[f"dues.fixed.{key}"].endswith("第六条")
    assert "第七条" in cited["dues.relief_approval"] and "上一级党委" in cited["dues.relief_approval"]
    assert "第八条" in cited["dues.start"]
    assert DUES_RULES.rule("dues.relief_approval", ON).confidence == "Q"


def test_the_quoted_articles_read_word_for_word():
    """The citations quote the 2008 text as public copies give it (see the module docstring):
    第七条 "交纳党费确有困难的党员，经党支部研究，报上一级党委批准后，可以少交或免交党费。";
    第十条 "党员工资收入发生变化后，从按新工资标准领取工资的当月起，以新的工资收入为基数，按照规定比例交纳党费。";
    第十一条 "党员自愿多交党费不限。自愿一次多交纳1000元以上的党费，全部上缴中央。"."""
    cite = {key: DUES_RULES.rule(key, ON) for key in DUES_RULES.keys()}  # noqa: SIM118 - not a dict
    assert cite["dues.relief_approval"].citation.endswith(
        "第七条：交纳党费确有困难的党员，经党支部研究，报上一级党委批准后，可以少交或免交党费"
    )
    assert cite["dues.base_change"].citation.endswith(
        "第十条：党员工资收入发生变化后，从按新工资标准领取工资的当月起，以新的工资收入为基数，按照规定比例交纳党费"
    )
    assert cite["dues.voluntary_central_threshold"].citation.endswith(
        "第十一条：自愿一次多交纳1000元以上的党费，全部上缴中央"
    )
    assert cite["dues.employee_bands"].citation.endswith("第一条、第二条")  # the base (第一条) and the bands (第二条)
    assert {r.confidence for key, r in cite.items() if key != "dues.arrears_months"} == {"Q"}


def test_every_category_answers_from_the_first_month_of_the_regulation():
    for category in CATEGORIES:
        assert dues_for(category, D("4000"), on=date(2008, 4, 1)).amount > 0


def test_the_base_page_and_the_ledger_take_the_new_categories(client, world):
    """The base page offers the categories with Chinese labels; the ledger charges 0.20 yuan on 低保 (第六条)."""
    client.force_login(world.sec1)
    url = reverse("dues:base_set", args=[world.member.pk])
    page = client.get(url).content.decode()
    for label in ("年薪制", "个体经营", "依靠抚恤或救济生活", "领取最低生活保障金"):
        assert label in page
    assert client.post(url, {"month": "2025-04", "category": "subsistence", "monthly_base": "800"}).status_code == 302
    members = Membership.objects.current().filter(person=world.member)
    line = compute(members, [ON])[ON][0]
    assert (line.category_label, line.due) == ("领取最低生活保障金", D("0.20"))
    refused = client.post(url, {"month": "2025-05", "category": "salary", "monthly_base": "800"})
    assert refused.status_code == 200 and "salary" in refused.content.decode()  # not a choice: the form says so
    assert DuesBase.objects.count() == 1


def test_a_pay_sheet_names_the_new_categories_by_label_or_short_form(world):
    m = world.member
    rows = [
        (m.id_number, m.name, "2025-01", "12000", "年薪制"),
        (m.id_number, m.name, "2025-02", "4000", "个体"),
        (m.id_number, m.name, "2025-03", "0", "低保"),
        (m.id_number, m.name, "2025-04", "0", "抚恤"),
    ]
    report = import_pay_sheet(_xlsx(rows), "pay.xlsx", user=world.sec1)
    assert report.ok, report.errors
    assert [p.amount for p in report.preview] == [D("240.00"), D("40.00"), D("0.20"), D("0.20")]
    written = DuesBase.objects.order_by("month").values_list("category", flat=True)
    assert list(written) == ["annual_salary", "self_employed", "subsistence", "welfare"]


def _relief(world, branch_member=None):
    return services.request_relief(
        world.sec1,
        (branch_member or world.member).pk,
        {"kind": "waive", "month_from": date(2025, 1, 1), "month_to": date(2025, 1, 1), "reason": "大病住院"},
    )


def test_a_general_branch_secretary_cannot_approve_relief_the_committee_secretary_can(world):
    """第七条 "报上一级党委批准": the 党总支 above 一支部 is not a 党委; the 党委 above it approves."""
    relief = _relief(world)
    assert not services.can_decide(world.general, relief)
    with pytest.raises(ValidationError, match="党总支不能审批"):
        services.decide_relief(world.general, relief.pk, approve=True)
    relief.refresh_from_db()
    assert relief.status == "requested"
    assert services.can_decide(world.committee, relief)
    services.decide_relief(world.committee, relief.pk, approve=True)
    relief.refresh_from_db()
    assert (relief.status, relief.decided_by) == ("approved", world.committee)


def test_the_office_over_the_committee_approves_too(world):
    relief = _relief(world)
    services.decide_relief(world.office, relief.pk, approve=True)
    assert DuesRelief.objects.get().status == "approved"


def test_the_nearest_committee_approves_not_only_the_top_one(world):
    """A 党委 under the top 党委 is the 上一级党委 of its own branches: its secretary approves for them."""
    t = world.t
    institute = Organization.objects.add_child(
        t.root, dict(kind="committee", code="T03", name="二所党委", founded_on=date(2000, 1, 1))
    )
    general = Organization.objects.add_child(
        institute, dict(kind="general_branch", code="T031", name="二所一总支", founded_on=date(2000, 1, 1))
    )
    branch = Organization.objects.add_child(
        general, dict(kind="branch", code="T0311", name="二所一支部", founded_on=date(2000, 1, 1))
    )
    member = make_member(branch, "赵党员")
    secretary = make_user("b3sec", "secretary", branch, person=make_member(branch, "书记丙"))
    relief = services.request_relief(
        secretary,
        member.pk,
        {"kind": "waive", "month_from": date(2025, 1, 1), "month_to": date(2025, 1, 1), "reason": "困难"},
    )
    assert services.committee_above(branch) == institute.path
    general_secretary = make_user("g3sec", "secretary", general)
    assert not services.can_decide(general_secretary, relief)
    institute_secretary = make_user("i3sec", "secretary", institute)
    services.decide_relief(institute_secretary, relief.pk, approve=True)
    assert DuesRelief.objects.get(pk=relief.pk).status == "approved"


def test_the_reliefs_page_offers_the_decision_to_the_committee_only(client, world):
    relief = _relief(world)
    client.force_login(world.general)
    assert 'name="decision"' not in client.get(reverse("dues:reliefs")).content.decode()
    response = client.post(reverse("dues:relief_decide", args=[relief.pk]), {"decision": "approve"}, follow=True)
    assert "党总支不能审批" in response.content.decode()
    relief.refresh_from_db()
    assert relief.status == "requested"
    client.force_login(world.committee)
    assert 'name="decision"' in client.get(reverse("dues:reliefs")).content.decode()


def _arrears_fact_texts() -> str:
    (definition,) = [d for d in DuesFacts.definitions if d.key == "dues.arrears_members"]
    return f"{definition.label}|{definition.meaning}|{definition.rule}"


def test_the_summary_counts_arrears_by_the_rule_not_a_literal(world, client):
    """The column of members in arrears, the arrears page and the fact name the rule's months
    (dues.arrears_months, 党员教育管理工作条例 第31条: "连续6个月不交纳党费"), read through the rule store: a stored
    version renames them all."""
    members = Membership.objects.current()
    month = summary.month_summary(members, date(2025, 12, 1))
    assert month.arrears_months == 6 and summary.summary_headers(6)[-1] == "连续6个月未交人数"
    assert _arrears_fact_texts().startswith("连续6个月未交党费的党员|")
    today = timezone.localdate()
    rule_store.add_version(world.office, "dues.arrears_months", 3, today, citation="修订后的规定", confidence="P")
    month = summary.month_summary(members, month_start(today))
    book = load_workbook(io.BytesIO(summary.export_xlsx([], month)))
    headers = [c.value for row in book["汇总"].iter_rows(max_row=3) for c in row]
    assert "连续3个月未交人数" in headers and "连续6个月未交人数" not in headers
    texts = _arrears_fact_texts()
    assert texts.startswith("连续3个月未交党费的党员|") and "连续3个月及以上" in texts and "连续6个月" not in texts
    client.force_login(world.office)
    page = client.get(reverse("dues:arrears")).content.decode()
    assert "连续3个月以上未交党费" in page and "修订后的规定" in page
    # the months before the version keep the rule then in force
    assert summary.month_summary(members, date(2025, 12, 1)).arrears_months == 6
