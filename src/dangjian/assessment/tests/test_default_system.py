"""The shipped system for research-institute branches: valid, cited, reading only registered facts, installed once."""

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from dangjian.assessment import services
from dangjian.assessment.models import IndicatorSystem
from dangjian.assessment.tree import walk
from dangjian.audit.models import AuditEvent
from dangjian.core.contributions import fact_definitions


def test_the_default_is_valid_with_30_odd_cited_leaves_and_registered_facts():
    data, nodes = services.default_nodes()
    assert services.check(data, nodes) == []
    leaves = [n for _d, n in walk(nodes) if n.is_leaf]
    assert 25 <= len(leaves) <= 40
    assert all(leaf.citation and leaf.description and leaf.scoring_department for leaf in leaves)
    autos = [leaf for leaf in leaves if leaf.method == "auto"]
    assert len(autos) >= 10 and {a.fact_key for a in autos} <= set(fact_definitions())
    for name in ("理论学习", "意识形态工作", "党建与科研生产深度融合", "一支部一特色", "我为群众办实事"):
        assert next(leaf for leaf in leaves if leaf.name == name).method == "manual"
    assert {leaf.method for leaf in leaves} == {"auto", "manual", "bonus", "deduction", "veto"}
    assert data.total_points == 100 and data.quotas == {"好": 0.3}


def test_the_data_module_imports_without_django():
    code = "from dangjian.assessment import default_system as d; assert d.SYSTEM['total_points'] == 100"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin"})
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_the_command_installs_and_publishes_once():
    out = StringIO()
    call_command("assessment_default", stdout=out)
    system = IndicatorSystem.objects.get()
    assert system.status == "published" and system.created_by is None
    assert "已安装并发布" in out.getvalue()
    events = AuditEvent.objects.filter(object_type="assessment.indicatorsystem").count()
    out = StringIO()
    call_command("assessment_default", stdout=out)
    assert IndicatorSystem.objects.count() == 1 and "已存在" in out.getvalue()
    assert AuditEvent.objects.filter(object_type="assessment.indicatorsystem").count() == events


def test_the_leaves_once_manual_or_substituted_read_the_rates_made_for_them():
    """办实事 projects, study hours, transfers and theme days are scored on their own rates, linear up to 100 %."""
    _data, nodes = services.default_nodes()
    by_fact = {n.fact_key: n for _d, n in walk(nodes) if n.is_leaf and n.method == "auto"}
    definitions = fact_definitions()
    for key in (
        "care.matters_on_time_rate",
        "hours.met_rate",
        "transfers.on_time_rate",
        "compliance.theme_day.rate",
        "compliance.three_meetings.rate",
    ):
        leaf = by_fact[key]
        assert str(definitions[key].unit) == "%"
        assert leaf.params["kind"] == "linear" and leaf.params["to"] == 100 and 0 < leaf.params["from"] < 100
    # the substitutes are gone: no leaf scores theme days by their count, or transfers by the ones still open
    assert not {"meetings.theme_day.held", "transfers.pending", "hours.members_under_32"} & set(by_fact)


def test_a_branch_with_no_care_obligation_or_project_due_scores_full_like_one_with_no_transfer_due():
    """These rates count what falls due from events or projects a branch may not have: nothing due, nothing missed."""
    from dangjian.assessment.scoring import score_missing

    _data, nodes = services.default_nodes()
    by_fact = {n.fact_key: n for _d, n in walk(nodes) if n.is_leaf and n.method == "auto"}
    for key in ("transfers.on_time_rate", "care.obligations_on_time_rate", "care.matters_on_time_rate"):
        leaf = by_fact[key]
        assert score_missing({**leaf.params, "points": leaf.points}) == leaf.points, key
        assert "得满分" in leaf.description.rsplit("；", 1)[-1], key
