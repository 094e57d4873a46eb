"""An auto score in words: what was counted, from which inputs, the points got of the points possible, and why.

E.g. "党员大会召开次数：3次（已召开 3）；得 1.50 分（满分 2.00 分）；依据：《中国共产党支部工作条例（试行）》第十七条".
The words are written when the snapshot is taken and stored with the score, so they describe the figures the
score was computed from even after the records change. A leaf without its own citation cites the fact's rule,
and a rule the organisation set for itself says 本单位设置.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dangjian.core.contributions import FactDefinition, FactValue
from dangjian.facts.labels import INPUT_LABELS


def _inputs(inputs: Any) -> str:
    if not inputs:
        return ""
    parts = [
        _("%(label)s %(value)s") % {"label": INPUT_LABELS.get(key, key), "value": value}
        for key, value in dict(inputs).items()
    ]
    return "（" + "，".join(parts) + "）"


def citation(leaf: Any, definition: FactDefinition | None) -> str:
    """The leaf's own citation, else the fact's rule, else 本单位设置 (a local rule)."""
    text = (leaf.citation or "").strip() or (str(definition.rule).strip() if definition is not None else "")
    return text or _("本单位设置")


def describe(leaf: Any, definition: FactDefinition | None) -> tuple[str, str, str]:
    """The fact's label and unit and the leaf's citation, as text: read once per leaf, not once per unit (a local
    rule's wording reads its setting from the database)."""
    label = str(definition.label) if definition is not None else leaf.fact_key
    unit = str(definition.unit) if definition is not None else ""
    return label, unit, citation(leaf, definition)


def explanation(
    described: tuple[str, str, str], possible: Any, fact: FactValue | None, points: Any, missing: bool
) -> str:
    label, unit, cited = described
    if (fact is None or missing) and points:
        what = _("%(label)s：无数据（无应办事项，按本项规则计满分）") % {"label": label}
    elif fact is None or missing:
        what = _("%(label)s：无数据") % {"label": label}
    else:
        what = _("%(label)s：%(value)s%(unit)s") % {"label": label, "value": fact.value, "unit": unit}
        what += _inputs(fact.inputs)
    got = _("得 %(score)s 分（满分 %(points)s 分）") % {"score": points, "points": possible}
    return _("%(what)s；%(got)s；依据：%(citation)s") % {"what": what, "got": got, "citation": cited}
