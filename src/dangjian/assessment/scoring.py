"""Scoring methods of an indicator system, as data: pure functions, importable without Django settings.

An indicator's method is data (``Indicator.method`` and its ``params``), so a system can be imported from a
spreadsheet, versioned, and a score explained by showing the rule beside it. This module is the only place that
turns a method and a value into points, so the import, the forms and (later) the assessment cycle agree.

- ``auto`` maps a registered fact's value to points with one of ``KINDS``;
- ``manual``: a reviewer's score in [0, P] (``check_manual``);
- ``deduction`` / ``bonus``: recorded occurrences combined "highest only" or "summed up to the leaf's points"
  (``occurrences_total``);
- ``veto`` (一票否决): an occurrence puts the unit in the lowest band whatever its points (``grade``).

Every result is a Decimal rounded half-up to 2 decimals (2.345 → 2.35, not banker's rounding). Messages are
Chinese, marked for the catalogue with ``gettext_noop`` and translated when Django is running.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)

METHODS = ("auto", "manual", "deduction", "bonus", "veto")
KINDS = ("ratio", "linear", "threshold", "steps", "per_occurrence")
COMBINES = ("highest", "sum")
# What an ``auto`` leaf earns when its fact has no value for the unit (nothing was due: no transfer, no project):
# "zero" (the default) or "full" — a branch that had nothing to hand over has not handed anything over late.
IF_NONE = ("zero", "full")
# The methods whose points sit outside the system's total: added (bonus) or taken (deduction) afterwards, or none.
OUTSIDE_TOTAL = ("deduction", "bonus", "veto")


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue without importing Django; ``_t`` translates it."""
    return message


def _t(message: str) -> str:
    """``message`` in the user's language when Django is running; as written (Chinese) otherwise."""
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is always installed with the project
        return message
    if not settings.configured:
        return message
    from django.utils.translation import gettext

    return gettext(message)


# The parameters each kind of ``auto`` method needs beyond "kind" and "points".
REQUIRED: dict[str, tuple[str, ...]] = {
    "ratio": (),
    "linear": ("from", "to"),
    "threshold": ("at_least",),
    "steps": ("steps",),
    "per_occurrence": ("each",),
}


def number(value: Any) -> Decimal:
    """``value`` as a finite Decimal; ``ValueError`` for anything else (bools, text, None, NaN, infinity).

    A bool is refused although Python counts it as an int: a fact that says True is not a figure.
    Floats go through their shortest text form, so 2.345 is 2.345 and not 2.34499999….
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(_t(gettext_noop("不是数值：%(value)r")) % {"value": value})
    try:
        out = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError) as exc:  # pragma: no cover - every int, float and Decimal converts
        raise ValueError(_t(gettext_noop("不是数值：%(value)r")) % {"value": value}) from exc
    if not out.is_finite():
        raise ValueError(_t(gettext_noop("不是有限的数值：%(value)r")) % {"value": value})
    return out


def rounded(value: Decimal) -> Decimal:
    """Half-up to the hundredth: the rounding every score on a page and in a report shows."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _param(method: Mapping[str, Any], name: str) -> Decimal:
    if name not in method:
        raise ValueError(_t(gettext_noop("缺少参数“%(name)s”")) % {"name": name})
    try:
        return number(method[name])
    except ValueError:
        raise ValueError(_t(gettext_noop("参数“%(name)s”不是数值")) % {"name": name}) from None


def _points(method: Mapping[str, Any]) -> Decimal:
    points = _param(method, "points")
    if points < 0:
        raise ValueError(_t(gettext_noop("分值不能为负数")))
    return points


def _steps(method: Mapping[str, Any], points: Decimal) -> list[tuple[Decimal, Decimal]]:
    raw = method.get("steps")
    if not isinstance(raw, list | tuple) or not raw:
        raise ValueError(_t(gettext_noop("参数“steps”应为非空的 [[下限, 得分], …] 列表")))
    out = []
    for step in raw:
        if not isinstance(step, list | tuple) or len(step) != 2:
            raise ValueError(_t(gettext_noop("参数“steps”的每一档应为 [下限, 得分]")))
        bound, pts = number(step[0]), number(step[1])
        if pts < 0 or pts > points:
            raise ValueError(_t(gettext_noop("参数“steps”中每一档的得分应在 0 至分值之间")))
        out.append((bound, pts))
    return out


def score(method: Mapping[str, Any], value: Any) -> Decimal:
    """The points an ``auto`` indicator earns for a fact's ``value`` (see the module's kinds).

    ``method`` is ``{"kind": …, "points": P, …}``. Raises ``ValueError`` for an unknown kind, a missing or
    non-numeric parameter, a negative P, or a non-numeric value.
    """
    if not isinstance(method, Mapping):
        raise ValueError(_t(gettext_noop("评分方法应为对象")))
    kind = method.get("kind")
    if kind not in KINDS:
        raise ValueError(_t(gettext_noop("未知的计分方式：%(kind)s")) % {"kind": kind})
    points = _points(method)
    v = number(value)
    if kind == "ratio":
        return rounded(points * min(max(v, ZERO), ONE))
    if kind == "linear":
        low, high = _param(method, "from"), _param(method, "to")
        if low >= high:
            raise ValueError(_t(gettext_noop("参数“from”应小于“to”")))
        if v <= low:
            return rounded(ZERO)
        if v >= high:
            return rounded(points)
        return rounded(points * (v - low) / (high - low))
    if kind == "threshold":
        return rounded(points if v >= _param(method, "at_least") else ZERO)
    if kind == "steps":
        for bound, pts in _steps(method, points):
            if bound <= v:
                return rounded(pts)
        return rounded(ZERO)
    # per_occurrence: a count of occurrences, each worth ``each`` (negative: taken from P; positive: up to P)
    each = _param(method, "each")
    if each == 0:
        raise ValueError(_t(gettext_noop("参数“each”不能为 0")))
    if v < 0:
        raise ValueError(_t(gettext_noop("次数不能为负数")))
    if each < 0:
        return rounded(max(ZERO, points + each * v))
    return rounded(min(points, each * v))


def score_missing(method: Mapping[str, Any]) -> Decimal:
    """The points an ``auto`` leaf earns when its fact has no value: P with ``"if_none": "full"``, else 0."""
    if method.get("if_none", "zero") not in IF_NONE:
        raise ValueError(_t(gettext_noop("参数“if_none”应为 zero（不得分）或 full（得满分）")))
    return rounded(_points(method) if method.get("if_none") == "full" else ZERO)


def check_manual(points: Any, given: Any) -> Decimal:
    """A reviewer's score for a ``manual`` leaf: a number in [0, P], rounded like every score."""
    p, g = number(points), number(given)
    if p < 0:
        raise ValueError(_t(gettext_noop("分值不能为负数")))
    if g < 0 or g > p:
        raise ValueError(_t(gettext_noop("评分应在 0 至 %(points)s 分之间")) % {"points": p})
    return rounded(g)


def reviewed(scores: Sequence[Any], required: int, threshold: Any) -> tuple[Decimal | None, bool]:
    """The score that counts for a ``manual`` leaf from its reviewers' latest scores, and whether it is disputed.

    None until ``required`` reviewers (1 or 2) have scored; then their average (rounded like every score). Two
    reviewers who differ by more than ``threshold`` leave the item disputed: the office settles it (a settlement
    replaces this average and is not passed here).
    """
    values = [number(s) for s in scores]
    if required not in (1, 2):
        raise ValueError(_t(gettext_noop("人工评分的“reviewers”（评分人数）应为 1 或 2")))
    if len(values) < required:
        return None, False
    average = rounded(sum(values, ZERO) / len(values))
    disputed = len(values) > 1 and max(values) - min(values) > number(threshold)
    return average, disputed


def occurrences_total(method: str, combine: str, occurrences: Sequence[Any], cap: Any) -> Decimal:
    """The points of a ``deduction`` or ``bonus`` leaf from its recorded occurrences.

    Each occurrence is a magnitude (通报批评 3, 上级表彰 2; never negative); ``combine`` is "highest" (only the
    largest counts) or "sum" (all add up); either way the result never passes ``cap``, the leaf's points. A
    deduction is returned negative, a bonus positive, so the caller adds it to the total as it is.
    """
    if method not in ("deduction", "bonus"):
        raise ValueError(_t(gettext_noop("只有扣分项和加分项按发生情况计分")))
    if combine not in COMBINES:
        raise ValueError(_t(gettext_noop("未知的合计方式：%(combine)s")) % {"combine": combine})
    limit = number(cap)
    if limit < 0:
        raise ValueError(_t(gettext_noop("分值不能为负数")))
    values = [number(o) for o in occurrences]
    if any(v < 0 for v in values):
        raise ValueError(_t(gettext_noop("每次发生的分值应填正数（扣分项由系统扣减）")))
    if not values:
        total = ZERO
    elif combine == "highest":
        total = max(values)
    else:
        total = sum(values, ZERO)
    total = min(total, limit)
    return rounded(-total if method == "deduction" else total)


def grade(total: Decimal, bands: Sequence[Sequence[Any]], veto: bool = False) -> str:
    """The band for ``total``: the first (highest minimum first) whose minimum ≤ total; the lowest band when the
    total is below every minimum or when a veto (一票否决) occurred, whatever the points."""
    if not bands:
        raise ValueError(_t(gettext_noop("未设置等次")))
    ordered = sorted(((number(b[0]), str(b[1])) for b in bands), key=lambda b: b[0], reverse=True)
    if veto:
        return ordered[-1][1]
    t = number(total)
    for minimum, name in ordered:
        if minimum <= t:
            return name
    return ordered[-1][1]


# --- Validation, for the import and the forms: every problem as a Chinese message, none raised --------------------


def validate_method(method: Mapping[str, Any], kind: str) -> list[str]:
    """What is wrong with the parameters ``method`` of an indicator scored by ``kind`` (one of ``METHODS``).

    For ``auto``, ``method`` is the full mapping ``{"kind", "points", …}``; for ``deduction`` / ``bonus`` it
    carries ``combine``; ``manual`` may carry ``reviewers`` (1 or 2); ``veto`` takes no parameters beyond the
    points. An empty list: valid.
    """
    if kind not in METHODS:
        return [_t(gettext_noop("未知的评分方法：%(method)s")) % {"method": kind}]
    if not isinstance(method, Mapping):
        return [_t(gettext_noop('参数应为 JSON 对象，例如 {"kind": "ratio"}'))]
    errors: list[str] = []
    try:
        _points(method)
    except ValueError as exc:
        errors.append(str(exc))
    extra = set(method) - {"points"}
    if kind == "auto":
        if method.get("kind") not in KINDS:
            return [
                *errors,
                _t(gettext_noop("自动计分的“kind”应为 %(kinds)s 之一")) % {"kinds": " / ".join(KINDS)},
            ]
        allowed = {"kind", "if_none", *REQUIRED[str(method["kind"])]}
        for name in REQUIRED[str(method["kind"])]:
            if name not in method:
                errors.append(_t(gettext_noop("缺少参数“%(name)s”")) % {"name": name})
        unknown = extra - allowed
        if unknown:
            errors.append(_t(gettext_noop("未知的参数：%(names)s")) % {"names": "、".join(sorted(unknown))})
        if not errors:
            try:
                score(method, 0)  # every parameter is checked on the way to a score
                score_missing(method)
            except ValueError as exc:
                errors.append(str(exc))
        return errors
    if kind in ("deduction", "bonus"):
        if method.get("combine") not in COMBINES:
            errors.append(_t(gettext_noop("扣分项和加分项的“combine”应为 highest（取最高）或 sum（累计，不超过分值）")))
        unknown = extra - {"combine"}
    elif kind == "manual":
        if method.get("reviewers", 1) not in (1, 2):
            errors.append(_t(gettext_noop("人工评分的“reviewers”（评分人数）应为 1 或 2")))
        unknown = extra - {"reviewers"}
    else:
        unknown = extra
    if unknown:
        errors.append(_t(gettext_noop("未知的参数：%(names)s")) % {"names": "、".join(sorted(unknown))})
    return errors


def validate_bands(bands: Any) -> list[str]:
    """Grade bands ``[[minimum, name], …]``: at least one, names unique and non-empty, minimums distinct."""
    if not isinstance(bands, list | tuple) or not bands:
        return [_t(gettext_noop("至少设置一个等次，格式为 [[最低分, 名称], …]"))]
    errors: list[str] = []
    minimums: list[Decimal] = []
    names: list[str] = []
    for band in bands:
        if not isinstance(band, list | tuple) or len(band) != 2 or not str(band[1]).strip():
            errors.append(_t(gettext_noop("等次的格式应为 [最低分, 名称]")))
            continue
        try:
            minimums.append(number(band[0]))
        except ValueError:
            errors.append(_t(gettext_noop("等次“%(name)s”的最低分不是数值")) % {"name": band[1]})
        names.append(str(band[1]).strip())
    if len(set(names)) != len(names):
        errors.append(_t(gettext_noop("等次名称不能重复")))
    if len(set(minimums)) != len(minimums):
        errors.append(_t(gettext_noop("各等次的最低分不能相同")))
    return errors


def validate_quotas(quotas: Any, bands: Any) -> list[str]:
    """Quotas ``{band name: largest share of units}``, a share in (0, 1] of a band that exists."""
    if quotas in (None, {}):
        return []
    if not isinstance(quotas, Mapping):
        return [_t(gettext_noop("名额比例的格式应为 {等次名称: 比例}"))]
    names = {str(b[1]).strip() for b in bands if isinstance(b, list | tuple) and len(b) == 2}
    errors: list[str] = []
    for name, share in quotas.items():
        if name not in names:
            errors.append(_t(gettext_noop("名额比例中的等次“%(name)s”不存在")) % {"name": name})
            continue
        try:
            s = number(share)
        except ValueError:
            errors.append(_t(gettext_noop("等次“%(name)s”的名额比例不是数值")) % {"name": name})
            continue
        if s <= 0 or s > 1:
            errors.append(_t(gettext_noop("等次“%(name)s”的名额比例应大于 0、不超过 1")) % {"name": name})
    return errors
