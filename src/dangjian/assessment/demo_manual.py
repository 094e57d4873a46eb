"""The demo's people's part of the two cycles: self-assessments, reviews, settled manual scores, objections.

Last year's cycle ends the way a finished one does: every branch submitted its self-assessment, the office (the
reviewer of every scoring department) scored each manual item with a reason, the cycle was signed off and published,
and two objections were answered in the window — one upheld with a new score, one not. This year's cycle is in
review: all but three branches have submitted (the flagship branch with an evidence file), about two thirds of the
items are scored, and one 纪检 item scored by the office and by the committee member (the ``leader`` account, a
second 纪检 reviewer) differs by more than the threshold and waits for the office to settle it.

A branch's quality (a share of each item's points) follows the demo's story: the flagship branch near the top, the
persistently weak branch at the bottom, the rest spread in between. Rows are written directly (as the other demo
parts are) with dates that follow the reference day; deterministic for a seed.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.files.base import ContentFile

from dangjian.accounts.models import User
from dangjian.demo import flagship
from dangjian.demo.history import WEAK_BRANCH
from dangjian.demo.spec import reference_date
from dangjian.orgs.models import Organization

from . import scoring
from .cycles import leaves
from .models import (
    AssessmentCycle,
    CycleStatus,
    EntryKind,
    Evidence,
    Indicator,
    ManualScore,
    Method,
    Objection,
    ObjectionStatus,
    ReviewEntry,
    Reviewer,
    SelfAssessment,
    SelfScore,
)

HALF = Decimal("0.5")
REASONS = (
    (Decimal("0.9"), "材料齐全，记录规范，成效明显，佐证充分。"),
    (Decimal("0.75"), "工作开展正常，记录基本完整，个别月份佐证偏少。"),
    (Decimal("0.6"), "工作开展不够经常，部分记录缺失，成效不够明显。"),
    (Decimal("0"), "工作推进不力，记录缺失较多，需列入整改。"),
)
NOT_SUBMITTED = 3


def _half_points(value: Decimal) -> Decimal:
    """Scores in half points, as a reviewer gives them."""
    return (value / HALF).quantize(Decimal(1), rounding=ROUND_HALF_UP) * HALF


def _reason(share: Decimal) -> str:
    return next(text for floor, text in REASONS if share >= floor)


def _qualities(rng: random.Random, branches: list[Organization]) -> dict[int, Decimal]:
    out = {}
    for b in branches:
        if b.name == flagship.SECRETARY_BRANCH:
            out[b.pk] = Decimal("0.95")
        elif b.name == WEAK_BRANCH:
            out[b.pk] = Decimal("0.45")
        else:
            out[b.pk] = Decimal(rng.randint(64, 92)) / 100
    return out


def _score(rng: random.Random, leaf: Indicator, quality: Decimal) -> Decimal:
    jitter = Decimal(rng.randint(-8, 8)) / 100
    share = min(max(quality + jitter, Decimal(0)), Decimal(1))
    return _half_points(leaf.points * share)


def generate(
    rng: random.Random, last: AssessmentCycle, this: AssessmentCycle, branches: list[Organization], office: User
) -> dict[str, int]:
    indicators, top = leaves(last.system)
    manual = [i for i in indicators if i.method == Method.MANUAL]
    if not manual or not branches:
        return {}
    leader = User.objects.filter(username="leader").first()
    quality = _qualities(rng, branches)
    today = reference_date()
    _reviewers(last, manual, office, None)
    _reviewers(this, manual, office, leader)
    _finished(rng, last, manual, top, branches, quality, office)
    _in_review(rng, this, manual, top, branches, quality, office, leader, today)
    cycles = [last.pk, this.pk]
    return {
        "assessment.Reviewer": Reviewer.objects.filter(cycle_id__in=cycles).count(),
        "assessment.SelfAssessment": SelfAssessment.objects.filter(cycle_id__in=cycles).count(),
        "assessment.SelfScore": SelfScore.objects.filter(cycle_id__in=cycles).count(),
        "assessment.Evidence": Evidence.objects.filter(cycle_id__in=cycles).count(),
        "assessment.ReviewEntry": ReviewEntry.objects.filter(cycle_id__in=cycles).count(),
        "assessment.ManualScore": ManualScore.objects.filter(cycle_id__in=cycles).count(),
        "assessment.Objection": Objection.objects.filter(cycle_id__in=cycles).count(),
    }


def _reviewers(cycle: AssessmentCycle, manual: list[Indicator], office: User, second: User | None) -> None:
    departments = sorted({leaf.scoring_department or "党委办公室" for leaf in manual})
    rows = [Reviewer(cycle=cycle, department=d, user=office, added_by=office) for d in departments]
    if second is not None and "纪检" in departments:
        rows.append(Reviewer(cycle=cycle, department="纪检", user=second, added_by=office))
    Reviewer.objects.bulk_create(rows)


def _self_rows(
    rng: random.Random,
    cycle: AssessmentCycle,
    manual: list[Indicator],
    branches: list[Organization],
    quality: dict[int, Decimal],
    office: User,
) -> None:
    """Each branch's self-scores, a little kinder than the reviewers'."""
    rows = []
    for b in branches:
        for leaf in manual:
            score = min(leaf.points, _score(rng, leaf, quality[b.pk] + Decimal("0.06")))
            rows.append(
                SelfScore(
                    cycle=cycle,
                    unit=b,
                    indicator=leaf,
                    score=score,
                    narrative=f"{leaf.name}：按计划推进，详见佐证材料。",
                    updated_by=office,
                )
            )
    SelfScore.objects.bulk_create(rows)


def _finished(
    rng: random.Random,
    cycle: AssessmentCycle,
    manual: list[Indicator],
    top: dict[int, int],
    branches: list[Organization],
    quality: dict[int, Decimal],
    office: User,
) -> None:
    year = cycle.year
    _self_rows(rng, cycle, manual, branches, quality, office)
    SelfAssessment.objects.bulk_create(
        SelfAssessment(
            cycle=cycle,
            unit=b,
            narrative="本年度支部认真落实党建工作责任制，各项工作有序推进。",
            submitted_at=_moment(date(year + 1, 1, rng.randint(6, 14))),
            submitted_by=office,
        )
        for b in branches
    )
    entries, scores = [], []
    for b in branches:
        for leaf in manual:
            score = _score(rng, leaf, quality[b.pk])
            share = score / leaf.points if leaf.points else Decimal(1)
            entries.append(_entry(cycle, b.pk, leaf, score, _reason(share), office))
            scores.append(ManualScore(cycle=cycle, unit=b, indicator=leaf, section_id=top[leaf.pk], score=score))
    ReviewEntry.objects.bulk_create(entries)
    ManualScore.objects.bulk_create(scores)
    _dated(entries, date(year + 1, 1, 20))
    _objections(cycle, manual, branches, office)
    AssessmentCycle.objects.filter(pk=cycle.pk).update(
        status=CycleStatus.PUBLISHED,
        signed_by=office,
        signed_at=_moment(date(year + 1, 1, 25)),
        published_at=_moment(date(year + 1, 1, 26)),
        objection_deadline=date(year + 1, 2, 5),
    )


def _objections(cycle: AssessmentCycle, manual: list[Indicator], branches: list[Organization], office: User) -> None:
    """The weak branch's objection on its 台账 score (not upheld) and another branch's on 理论学习 (upheld)."""
    by_name = {b.name: b for b in branches}
    leaf = {i.name: i for i in manual}
    weak, other = by_name.get(WEAK_BRANCH), next((b for b in branches if b.name != WEAK_BRANCH), None)
    year = cycle.year
    if weak is not None and "基础工作和台账" in leaf:
        Objection.objects.create(
            cycle=cycle,
            unit=weak,
            indicator=leaf["基础工作和台账"],
            reason="支部台账已于年底补齐，请重新核定。",
            raised_by=office,
            status=ObjectionStatus.REJECTED,
            answer="经核查，补齐的会议记录为事后补记，缺少当期签到和影像佐证，维持原评分。",
            answered_by=office,
            answered_at=_moment(date(year + 1, 2, 3)),
        )
    if other is not None and "理论学习" in leaf:
        item = leaf["理论学习"]
        objection = Objection.objects.create(
            cycle=cycle,
            unit=other,
            indicator=item,
            reason="第四季度专题学习记录在纸质台账中，评分时未上传，现补充提交。",
            raised_by=office,
            status=ObjectionStatus.UPHELD,
            answer="已核验纸质台账，学习记录完整，调整评分。",
            answered_by=office,
            answered_at=_moment(date(year + 1, 2, 4)),
        )
        row = ManualScore.objects.get(cycle=cycle, unit=other, indicator=item)
        better = min(item.points, row.score + 1)
        ReviewEntry.objects.create(
            cycle=cycle,
            unit=other,
            indicator=item,
            kind=EntryKind.OBJECTION,
            score=better,
            reason="异议采纳：补充的第四季度学习记录完整。",
            entered_by=office,
            objection=objection,
        )
        ManualScore.objects.filter(pk=row.pk).update(score=better)


def _in_review(
    rng: random.Random,
    cycle: AssessmentCycle,
    manual: list[Indicator],
    top: dict[int, int],
    branches: list[Organization],
    quality: dict[int, Decimal],
    office: User,
    leader: User | None,
    today: date,
) -> None:
    _self_rows(rng, cycle, manual, branches, quality, office)
    late = {b.pk for b in branches if b.name not in (flagship.SECRETARY_BRANCH, WEAK_BRANCH)}
    unsubmitted = set(rng.sample(sorted(late), min(NOT_SUBMITTED, len(late))))
    SelfAssessment.objects.bulk_create(
        SelfAssessment(
            cycle=cycle,
            unit=b,
            narrative="" if b.pk in unsubmitted else "本年度支部围绕科研生产中心任务开展党建工作，自评情况如下。",
            submitted_at=None if b.pk in unsubmitted else _moment(today - timedelta(days=rng.randint(4, 9))),
            submitted_by=None if b.pk in unsubmitted else office,
        )
        for b in branches
    )
    _evidence(cycle, branches, manual, office)
    entries, scores = [], []
    for b in branches:
        if b.pk in unsubmitted:
            continue
        for leaf in manual:
            if b.name != flagship.SECRETARY_BRANCH and rng.random() > 0.66:
                continue
            score = _score(rng, leaf, quality[b.pk])
            share = score / leaf.points if leaf.points else Decimal(1)
            entries.append(_entry(cycle, b.pk, leaf, score, _reason(share), office))
            scores.append(ManualScore(cycle=cycle, unit=b, indicator=leaf, section_id=top[leaf.pk], score=score))
    ReviewEntry.objects.bulk_create(entries)
    ManualScore.objects.bulk_create(scores)
    _dated(entries, today - timedelta(days=2))
    _dispute(cycle, manual, branches, unsubmitted, office, leader, today)
    AssessmentCycle.objects.filter(pk=cycle.pk).update(
        status=CycleStatus.REVIEW,
        self_deadline=today - timedelta(days=3),
        review_deadline=today + timedelta(days=20),
    )


def _dispute(
    cycle: AssessmentCycle,
    manual: list[Indicator],
    branches: list[Organization],
    unsubmitted: set[int],
    office: User,
    leader: User | None,
    today: date,
) -> None:
    """The committee member's second 纪检 score on one branch differs from the office's by more than the threshold."""
    leaf = next((i for i in manual if i.scoring_department == "纪检" and i.points > cycle.settle_threshold + 1), None)
    unit = next((b for b in branches if b.pk not in unsubmitted and b.name != flagship.SECRETARY_BRANCH), None)
    if leader is None or leaf is None or unit is None:
        return
    row = ManualScore.objects.filter(cycle=cycle, unit=unit, indicator=leaf).first()
    first = row.score if row is not None else leaf.points
    if row is None:
        ReviewEntry.objects.create(
            cycle=cycle, unit=unit, indicator=leaf, score=first, reason=_reason(Decimal(1)), entered_by=office
        )
    second = max(Decimal(0), first - cycle.settle_threshold - 1)
    ReviewEntry.objects.create(
        cycle=cycle,
        unit=unit,
        indicator=leaf,
        score=second,
        reason="谈话记录显示“一岗双责”落实不到位，年度廉政风险排查未覆盖全部岗位。",
        entered_by=leader,
    )
    counted, disputed = scoring.reviewed([first, second], 1, cycle.settle_threshold)
    assert counted is not None
    ManualScore.objects.update_or_create(
        cycle=cycle,
        unit=unit,
        indicator=leaf,
        defaults={"section_id": leaves(leaf.system)[1][leaf.pk], "score": counted, "disputed": disputed},
    )
    ReviewEntry.objects.filter(cycle=cycle, unit=unit, indicator=leaf).update(entered_at=_moment(today))


def _evidence(cycle: AssessmentCycle, branches: list[Organization], manual: list[Indicator], office: User) -> None:
    """The flagship branch's study record for 理论学习, as a small Word file."""
    unit = next((b for b in branches if b.name == flagship.SECRETARY_BRANCH), None)
    leaf = next((i for i in manual if i.name == "理论学习"), None)
    if unit is None or leaf is None:
        return
    from docx import Document

    doc = Document()
    doc.add_heading(f"{unit.name}{cycle.year}年度理论学习记录（摘要）", level=1)
    for month in range(1, 12):
        doc.add_paragraph(f"{month}月：支部集中学习一次，学习习近平新时代中国特色社会主义思想专题，参学党员全部到课。")
    buffer = io.BytesIO()
    doc.save(buffer)
    evidence = Evidence(cycle=cycle, unit=unit, indicator=leaf, title="理论学习记录（摘要）", uploaded_by=office)
    evidence.file.save("理论学习记录.docx", ContentFile(buffer.getvalue()), save=True)


def _entry(cycle: AssessmentCycle, unit: int, leaf: Indicator, score: Decimal, reason: str, by: User) -> ReviewEntry:
    return ReviewEntry(cycle=cycle, unit_id=unit, indicator=leaf, score=score, reason=reason, entered_by=by)


def _dated(entries: list[Any], day: date) -> None:
    ReviewEntry.objects.filter(pk__in=[e.pk for e in entries]).update(entered_at=_moment(day))


def _moment(day: date) -> Any:
    from .demo import _at

    return _at(day, 10)
