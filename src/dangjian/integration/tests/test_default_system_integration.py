"""The shipped indicator system scores the issue's facts (issue 15 §7): valid, 100 points in all, each new auto leaf
reading a registered fact, a branch with nothing to measure scoring full."""

from dangjian.assessment import services
from dangjian.assessment.scoring import score_missing
from dangjian.assessment.tree import walk
from dangjian.integration.facts import IntegrationFacts
from dangjian.workplan.facts import WorkPlanFacts


def test_the_shipped_tree_scores_the_integration_and_plan_facts():
    data, nodes = services.default_nodes()
    assert services.check(data, nodes) == []
    leaves = {n.name: n for _d, n in walk(nodes) if n.is_leaf}
    keys = {d.key for d in (*IntegrationFacts.definitions, *WorkPlanFacts.definitions)}
    autos = [n for n in leaves.values() if n.method == "auto" and n.fact_key in keys]
    # every fact but the count of members in carriers (it grows with a branch's size: it informs the manual leaf)
    assert {a.fact_key for a in autos} == keys - {"integration.carriers.members"}
    for a in autos:
        assert score_missing({**a.params, "points": a.points}) == a.points
    # the points came from the two manual leaves they measure: 5 → 1 and 6 → 3
    assert leaves["党员先锋模范作用"].points == 1 and leaves["党建与科研生产深度融合"].points == 3
    assert sum(a.points for a in autos) == 7
