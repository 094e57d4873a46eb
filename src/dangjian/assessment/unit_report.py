"""One unit's assessment report (.docx, the party-document layout of core.paper, GB/T 9704-2012).

What the unit result page shows, on paper, to be handed to the unit and filed: the total, band and ranks from the
snapshot, the points by 一级 indicator, every scored leaf with its stored explanation (a manual leaf with the
reason of the entry that decided it; not yet scored: 未评), the leaves where points were lost — the 问题清单 of
the 三张清单: problem, then measure, owner and deadline from the unit's recorded rectification items, blank to
fill in by hand where none is recorded — and the deductions, bonuses and vetoes recorded on it, each with its
reason. It is signed by the nearest 党委 above the unit, which runs the assessment.

The figures come from ``results.results``, ``results.unit_scores`` and ``manual_scores.explained`` for the
snapshot given (the current one by default), so the document says exactly what the result page says for that
computation.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import paper
from dangjian.orgs.models import Organization, OrgKind

from . import manual_scores, results
from .models import AssessmentCycle, Indicator, Method, Occurrence, Rectification, Snapshot
from .scoring import ZERO, occurrences_total, rounded

SCORED = (Method.AUTO, Method.MANUAL)
TITLE_CHARS = 18  # of 二号 on one line, with room to spare: 156 mm holds 20 but a renderer may fit 19
EMPTY = "—"


def _pts(value: Decimal | None) -> str:
    """Points as the result page shows them, to the hundredth."""
    return EMPTY if value is None else f"{Decimal(value):.2f}"


def _committee_above(unit: Organization) -> Organization | None:
    """The nearest 党委 strictly above the unit (the one that assesses it); None at the top of the tree."""
    step = Organization.steplen
    paths = [unit.path[:i] for i in range(step, len(unit.path), step)]
    return Organization.objects.filter(path__in=paths, kind=OrgKind.COMMITTEE).order_by("path").last()


def _tops(indicators: list[Indicator]) -> dict[int, Indicator]:
    """Each indicator's 一级 ancestor (the indicators come in tree order, parents first)."""
    top: dict[int, Indicator] = {}
    for i in indicators:
        top[i.pk] = i if i.parent_id is None else top.get(i.parent_id, i)
    return top


def _title(unit: Organization, cycle: AssessmentCycle) -> str:
    """The unit's name and the report's; when the whole does not fit one line of 二号 (at most 20 characters across the
    type area), the unit's name goes on a line of its own, so the title breaks where its words do (GB/T 9704
    §7.3.1: 回行时词意完整)."""
    report = _("%(cycle)s结果报告") % {"cycle": cycle.title}
    text = _("%(unit)s%(cycle)s结果报告") % {"unit": unit.name, "cycle": cycle.title}
    width = sum(1 if unicodedata.east_asian_width(c) in "FW" else 0.5 for c in text)
    return text if width <= TITLE_CHARS else f"{unit.name}\n{report}"


def _summary(cycle: AssessmentCycle, unit: Organization, out: results.CycleResults, row: Any) -> str:
    snapshot = out.snapshot
    if snapshot is None or row is None:
        return _("%(unit)s%(cycle)s尚未计算得分，本报告只列出指标。") % {"unit": unit.name, "cycle": cycle.title}
    r = row.result
    taken = timezone.localtime(snapshot.taken_at)
    in_kind = sum(1 for other in out.rows if other.result.kind == r.kind)
    text = _(
        "根据%(system)s，按%(taken)s的%(snapshot)s结果，%(unit)s%(cycle)s总分%(total)s分，等次为“%(band)s”，"
        "在%(count)s个考核对象中排名第%(rank)s，在%(in_kind)s个%(kind)s中排名第%(rank_in_kind)s。"
    ) % {
        "system": str(cycle.system),
        "taken": f"{paper.cn_date(taken.date())} {taken:%H:%M}",
        "snapshot": str(snapshot),
        "unit": unit.name,
        "cycle": cycle.title,
        "total": _pts(r.total),
        "band": r.band,
        "count": len(out.rows),
        "rank": r.rank,
        "in_kind": in_kind,
        "kind": str(dict(OrgKind.choices).get(r.kind, r.kind)),
        "rank_in_kind": r.rank_in_kind,
    }
    if r.veto:
        text += _("因发生一票否决事项，等次定为最低等次。")
    if row.change is not None:
        text += _("较上年变化%(change)s分。") % {"change": _pts(row.change)}
    if out.manual_pending:
        text += _("人工评分项尚未评分，暂按0分计入总分，表中标“未评”。")
    return text


def _section_table(document, out: results.CycleResults, row: Any) -> None:
    got = row.result.sections if row else {}
    rows = []
    for s in out.sections:
        value = got.get(s.pk, ZERO) if row else None
        lost = rounded(s.points - value) if value is not None else None
        rows.append([s.name, _pts(s.points), _pts(value), _pts(lost)])
    if row:
        r = row.result
        rows.append([_("扣分"), EMPTY, _pts(r.deductions), EMPTY])
        rows.append([_("加分"), EMPTY, _pts(r.bonus), EMPTY])
        rows.append([_("总分"), _pts(out.cycle.system.total_points), _pts(r.total), EMPTY])
    paper.table(
        document, [_("一级指标"), _("分值"), _("得分"), _("失分")], rows, widths=(70, 28, 28, 28), numeric=(1, 2, 3)
    )


def _leaf_rows(out: results.CycleResults, scores: dict[int, Any], tops: dict[int, Indicator]) -> list[list[str]]:
    rows = []
    for leaf in out.indicators:
        if leaf.method not in SCORED:
            continue
        score = scores.get(leaf.pk)
        if score is not None:
            value, words = _pts(score.score), score.explanation
        elif leaf.method == Method.MANUAL:
            value, words = _("未评"), _("人工评分项，待评分")
        else:
            value, words = EMPTY, ""
        rows.append([tops[leaf.pk].name, leaf.name, _pts(leaf.points), value, words])
    return rows


def _lost(
    out: results.CycleResults, scores: dict[int, Any], tops: dict[int, Indicator], occurrences: list[Occurrence]
) -> list[tuple[Indicator, Decimal, str]]:
    """(leaf, points lost, why) for each scored leaf below its points and each deduction leaf that took points."""
    deducted: dict[int, list[Occurrence]] = defaultdict(list)
    for o in occurrences:
        if o.indicator.method == Method.DEDUCTION:
            deducted[o.indicator_id].append(o)
    lost = []
    for leaf in out.indicators:
        if leaf.method in SCORED and leaf.pk in scores:
            gap = rounded(leaf.points - scores[leaf.pk].score)
            if gap > 0:
                lost.append((leaf, gap, scores[leaf.pk].explanation))
        elif leaf.method == Method.DEDUCTION and deducted.get(leaf.pk):
            items = deducted[leaf.pk]
            combine = str((leaf.params or {}).get("combine", "sum"))
            points = occurrences_total(leaf.method, combine, [abs(o.points) for o in items], leaf.points)
            if points:
                lost.append((leaf, rounded(-points), "；".join(o.reason for o in items)))
    return lost


def _occurrence_rows(occurrences: list[Occurrence]) -> list[list[str]]:
    methods = dict(Method.choices)
    return [
        [
            str(methods.get(o.indicator.method, o.indicator.method)),
            o.indicator.name,
            _pts(o.points) if o.indicator.method != Method.VETO else EMPTY,
            o.reason,
            paper.iso(timezone.localtime(o.recorded_at).date()),
        ]
        for o in occurrences
    ]


def _planned(item: Rectification | None) -> list[str]:
    """The 三张清单 item already recorded for a lost leaf: its measure, owner and deadline (blank to fill by hand)."""
    if item is None:
        return ["", "", ""]
    owner = item.owner.name if item.owner is not None else item.owner_text
    return [item.measure, owner, paper.iso(item.deadline)]


def unit_report(cycle: AssessmentCycle, unit: Organization, snapshot: Snapshot | None = None) -> bytes:
    """The report of ``unit`` in ``cycle`` from ``snapshot`` (the current one by default); the unit must be one
    of the cycle's (ValueError otherwise: the view answers 404 before)."""
    if not cycle.cycle_units.filter(organization=unit).exists():
        raise ValueError(_("该单位不是本周期的考核对象"))
    out = results.results(cycle, snapshot)
    row = out.row_of(unit.pk)
    scores: dict[int, Any] = dict(results.unit_scores(out.snapshot, unit.pk))
    for (_unit, leaf_pk), (manual, words) in manual_scores.explained(cycle, [unit.pk]).items():
        scores[leaf_pk] = SimpleNamespace(score=manual.score, explanation=words)
    planned = {
        r.indicator_id: r
        for r in Rectification.objects.filter(cycle=cycle, organization=unit, withdrawn_at__isnull=True)
        .exclude(indicator=None)
        .select_related("owner")
        .order_by("pk")
    }
    tops = _tops(out.indicators)
    occurrences = list(
        Occurrence.objects.filter(cycle=cycle, unit=unit, withdrawn_at__isnull=True)
        .select_related("indicator")
        .order_by("recorded_at", "pk")
    )

    document = paper.new_document()
    paper.title(document, _title(unit, cycle))
    paper.paragraph(document, _summary(cycle, unit, out, row))

    paper.heading(document, _("一、得分情况"))
    _section_table(document, out, row)

    paper.heading(document, _("二、各评分项得分及说明"))
    paper.table(
        document,
        [_("一级指标"), _("评分项"), _("分值"), _("得分"), _("说明")],
        _leaf_rows(out, scores, tops),
        widths=(24, 30, 13, 13, 76),
        numeric=(2, 3),
        split=True,
    )

    paper.heading(document, _("三、失分情况（整改问题清单）"))
    lost = _lost(out, scores, tops, occurrences)
    if lost:
        intro = paper.paragraph(
            document, _("以下各项失分，请逐项分析原因，明确整改措施、责任人和完成时限，列入问题清单整改。")
        )
        intro.paragraph_format.keep_with_next = True  # never alone at the foot of a page, its table on the next
        paper.table(
            document,
            [_("序号"), _("评分项"), _("失分"), _("失分原因"), _("整改措施"), _("责任人"), _("完成时限")],
            [
                [
                    n,
                    _("%(top)s／%(leaf)s") % {"top": tops[leaf.pk].name, "leaf": leaf.name},
                    _pts(gap),
                    why,
                    *_planned(planned.get(leaf.pk)),
                ]
                for n, (leaf, gap, why) in enumerate(lost, 1)
            ],
            widths=(11, 26, 11, 47, 29, 14, 18),
            numeric=(0, 2),
            split=True,
        )
    else:
        paper.paragraph(document, _("无失分项。"))

    paper.heading(document, _("四、扣分、加分和一票否决"))
    if occurrences:
        paper.table(
            document,
            [_("类型"), _("指标"), _("分值"), _("事由"), _("记录日期")],
            _occurrence_rows(occurrences),
            widths=(18, 32, 14, 70, 22),
            numeric=(0, 2, 4),
            split=True,
        )
    else:
        paper.paragraph(document, _("无。"))

    committee = _committee_above(unit) or unit
    paper.signature(document, paper.party_name(committee.name), paper.cn_date(timezone.localdate()))
    return paper.to_bytes(document)
