"""The integration leaves for the shipped indicator system's next version: valid, 100 points in all, each auto
leaf reading a fact the integration facts define, a branch with nothing to measure scoring full."""

from dangjian.assessment import default_system, services
from dangjian.assessment.scoring import score_missing
from dangjian.assessment.tree import walk
from dangjian.core import contributions
from dangjian.integration.facts import IntegrationFacts


def _registered(monkeypatch):
    """The facts as contrib.py will register them (wired by the integrator)."""
    contributions.contributions()
    current = contributions._registry.get("integration") or contributions.Contribution(app="integration")
    wired = contributions.Contribution(**{**current.__dict__, "facts": [IntegrationFacts()]})
    monkeypatch.setitem(contributions._registry, "integration", wired)


def _nodes(tree):
    original = default_system.TREE
    try:
        default_system.TREE = tree
        return services.default_nodes()
    finally:
        default_system.TREE = original


def test_the_tree_with_integration_is_valid_and_keeps_100_points(monkeypatch):
    _registered(monkeypatch)
    data, nodes = _nodes(default_system.with_integration())
    assert services.check(data, nodes) == []
    leaves = {n.name: n for _d, n in walk(nodes) if n.is_leaf}
    keys = {d.key for d in IntegrationFacts.definitions}
    autos = [n for n in leaves.values() if n.method == "auto" and n.fact_key.startswith("integration.")]
    assert {a.fact_key for a in autos} == keys - {"integration.carriers.members"}
    for a in autos:
        assert score_missing({**a.params, "points": a.points}) == a.points
    assert leaves["党员先锋模范作用"].points == 1
    # the shipped tree itself is unchanged
    assert next(n for _d, n in walk(services.default_nodes()[1]) if n.name == "党员先锋模范作用").points == 5
