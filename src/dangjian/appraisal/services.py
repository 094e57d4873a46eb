"""The appraisal workflow: open → self and mutual review → democratic vote → proposed grades → confirmed.

Mutual ratings are anonymous: audit events say that a member submitted
ratings, never which grades they gave.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.meetings.models import Meeting
from dangjian.meetings.models.meeting import HELD_STATUSES
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership
from dangjian.rules import services as rule_store

from . import rules
from .models import Appraisal, AppraisalStatus, Grade, MutualRating, Participant
from .models.ratings import rater_digest
from .rule_data import APPRAISAL_RULES, MIN_RATERS

MANAGE = "appraisal.manage"


def excellent_share_max(appraisal):
    """The share of 优秀 above which the committee is warned: the institute's setting for the organisation."""
    return rule_store.table(APPRAISAL_RULES, appraisal.organization).rule("appraisal.excellent_share_max")


def _at(appraisal: Appraisal, *statuses: str) -> None:
    if appraisal.status not in statuses:
        raise ValidationError(
            gettext("当前阶段为「%(stage)s」，不能进行此操作") % {"stage": appraisal.get_status_display()}
        )


def open_appraisal(user, org_id: int, year: int) -> Appraisal:
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, MANAGE, org_id)
        if org.kind != "branch":
            raise ValidationError(gettext("民主评议以党支部为单位开展"))
        if Appraisal.objects.filter(organization=org, year=year).exists():
            raise ValidationError(gettext("%(org)s已有%(year)s年度的民主评议") % {"org": org.name, "year": year})
        # 停止党籍 (党员教育管理工作条例 第24条): a member whose rights are stopped is not appraised with the branch
        members = list(
            Membership.objects.current().without_rights_stopped().filter(organization=org).select_related("person")
        )
        if not members:
            raise ValidationError(gettext("该党支部没有党员"))
        appraisal = Appraisal.objects.create(organization=org, year=year, created_by=user)
        graded_probationary = rule_store.table(APPRAISAL_RULES, org).value("appraisal.probationary_graded")
        Participant.objects.bulk_create(
            [
                Participant(appraisal=appraisal, person=m.person, graded=m.status == "full" or graded_probationary)
                for m in members
            ]
        )
        record("create", appraisal, after={**snapshot(appraisal), "participants": len(members)})
    return appraisal


def own_entry(user, appraisal_id: int) -> Participant:
    """The user's own participation; 404 for anyone who does not take part."""
    entry = (
        Participant.objects.select_related("appraisal")
        .filter(appraisal_id=appraisal_id, person_id=user.person_id)
        .first()
        if user.person_id
        else None
    )
    if entry is None:
        from django.http import Http404

        raise Http404(gettext("您未参加该次民主评议"))
    return entry


def save_self_review(user, appraisal_id: int, text: str) -> Participant:
    with transaction.atomic():
        entry = own_entry(user, appraisal_id)
        _at(entry.appraisal, AppraisalStatus.OPEN)
        if not text.strip():
            raise ValidationError({"self_review": gettext("自评内容不能为空")})
        before = {"self_review": entry.self_review}
        entry.self_review = text.strip()
        entry.save(update_fields=["self_review", "updated_at"])
        record("update", entry, before=before, after={"self_review": entry.self_review})
    return entry


def rate_others(user, appraisal_id: int, grades: dict[int, str]) -> int:
    """Each member rates the others; a member may revise their ratings while review is open."""
    with transaction.atomic():
        entry = own_entry(user, appraisal_id)
        appraisal = entry.appraisal
        _at(appraisal, AppraisalStatus.OPEN)
        ratees = {p.pk: p for p in appraisal.participants.filter(graded=True).exclude(pk=entry.pk)}
        digest = rater_digest(appraisal.pk, entry.person_id)
        for ratee_id, grade in grades.items():
            if ratee_id not in ratees:
                raise ValidationError(gettext("只能评议本支部其他参评党员"))
            if grade not in Grade.values:
                raise ValidationError(gettext("无效的等次：%(grade)s") % {"grade": grade})
            MutualRating.objects.update_or_create(
                ratee_id=ratee_id, rater_digest=digest, defaults={"grade": grade, "appraisal": appraisal}
            )
        record("update", appraisal, detail={"mutual_review_submitted": len(grades)})
    return len(grades)


def ratings_given(entry: Participant) -> int:
    """How many others this participant rated: found by the rater's digest, as the ratings are stored."""
    digest = rater_digest(entry.appraisal_id, entry.person_id)
    return MutualRating.objects.filter(appraisal_id=entry.appraisal_id, rater_digest=digest).count()


@dataclass(frozen=True)
class MutualReview:
    """What those who run the appraisal see of mutual review: the tallies, or why they are withheld."""

    raters: int
    min_raters: int
    tallies: dict[int, dict[str, int]] | None  # None while withheld
    withheld: str = ""  # why, in Chinese, when withheld


def mutual_review(appraisal: Appraisal) -> MutualReview:
    """Counts per participant and grade — the only view of mutual review anyone gets — once it can no longer
    reveal a rater: not while members are still rating (each new rating would show as a change of one count),
    and not with fewer raters than the institute's minimum (``appraisal.min_raters_for_tallies``, L)."""
    ratings = MutualRating.objects.filter(appraisal=appraisal)
    raters = ratings.values("rater_digest").distinct().count()
    minimum = rule_store.table(APPRAISAL_RULES, appraisal.organization).value(MIN_RATERS)
    if appraisal.status == AppraisalStatus.OPEN:
        return MutualReview(raters, minimum, None, gettext("互评进行中，结束后才显示汇总票数，以保护匿名"))
    if raters < minimum:
        reason = gettext("参与互评的党员仅 %(n)s 人，不足 %(m)s 人，不显示汇总票数，以保护匿名")
        return MutualReview(raters, minimum, None, reason % {"n": raters, "m": minimum})
    out = {pk: dict.fromkeys(rules.GRADES, 0) for pk in appraisal.participants.values_list("pk", flat=True)}
    counts = ratings.values("ratee_id", "grade").annotate(n=Count("id")).values_list("ratee_id", "grade", "n")
    for ratee_id, grade, n in counts:
        out[ratee_id][grade] = n
    return MutualReview(raters, minimum, out)


def missing_self_reviews(appraisal: Appraisal) -> list[str]:
    """The names of the participants who have not written their self-review, by name."""
    rows = appraisal.participants.filter(self_review="").order_by("person__sort_key", "person__name", "pk")
    return list(rows.values_list("person__name", flat=True))


def start_vote(user, appraisal_id: int, *, confirm_missing: bool = False) -> Appraisal:
    """Close self and mutual review and open the democratic vote (党员教育管理工作条例 第18条: 个人自评、党员互评、
    民主测评, in that order). With self-reviews missing the stage moves only when the secretary confirms it
    (``confirm_missing``) after being told who has not written one: a member may be away, but nobody should
    be skipped unnoticed."""
    with transaction.atomic():
        appraisal = recheck(Appraisal.objects.select_for_update(), user, MANAGE, appraisal_id)
        _at(appraisal, AppraisalStatus.OPEN)
        missing = missing_self_reviews(appraisal)
        if missing and not confirm_missing:
            total = appraisal.participants.count()
            raise ValidationError(
                {
                    "confirm_missing": gettext(
                        "参评党员 %(total)s 人中还有 %(n)s 人未提交自评：%(names)s。"
                        "确认不再等待、进入民主测评时，请勾选确认后再提交"
                    )
                    % {"total": total, "n": len(missing), "names": "、".join(missing)}
                }
            )
        appraisal.status = AppraisalStatus.VOTING
        appraisal.review_closed_at = timezone.now()
        appraisal.save(update_fields=["status", "review_closed_at", "updated_at"])
        after: dict[str, object] = {
            "status": appraisal.status,
            "review_closed_at": appraisal.review_closed_at.isoformat(),
        }
        if missing:
            after["without_self_review"] = len(missing)
        record("update", appraisal, before={"status": "open"}, after=after)
    return appraisal


def record_vote(user, appraisal_id: int, counts: dict[int, dict[str, int]]) -> None:
    """The democratic vote's tallies per member, as counted at the meeting."""
    with transaction.atomic():
        appraisal = recheck(Appraisal.objects.all(), user, MANAGE, appraisal_id)
        _at(appraisal, AppraisalStatus.VOTING)
        entries = {p.pk: p for p in appraisal.participants.select_for_update()}
        voters = len(entries)
        changes = []
        for pid, c in counts.items():
            entry = entries.get(pid)
            if entry is None:
                raise ValidationError(gettext("参评党员不属于本次评议"))
            if any(v < 0 for v in c.values()):
                raise ValidationError(gettext("票数不能为负数"))
            if sum(c.values()) > voters:
                raise ValidationError(
                    gettext("%(name)s的票数之和超过参加测评人数 %(voters)s")
                    % {"name": entry.person.name, "voters": voters}
                )
            before = entry.vote_counts
            for grade in rules.GRADES:
                setattr(entry, f"vote_{grade}", c.get(grade, 0))
            entry.save()
            if before != entry.vote_counts:
                changes.append({"participant": pid, "before": before, "after": entry.vote_counts})
        if changes:
            record("update", appraisal, detail={"vote_tally": changes})


def propose_grades(user, appraisal_id: int, grades: dict[int, str]) -> bool:
    """The committee's proposal. Returns True when 优秀 exceeds the share in the rule table (a warning)."""
    with transaction.atomic():
        appraisal = recheck(Appraisal.objects.all(), user, MANAGE, appraisal_id)
        _at(appraisal, AppraisalStatus.VOTING, AppraisalStatus.PROPOSED)
        entries = {p.pk: p for p in appraisal.participants.select_for_update()}
        for pid, entry in entries.items():
            grade = grades.get(pid, "")
            if entry.graded and grade not in Grade.values:
                raise ValidationError(gettext("请为%(name)s提出等次") % {"name": entry.person.name})
            if not entry.graded and grade:
                raise ValidationError(gettext("%(name)s为预备党员，参加评议但不评定等次") % {"name": entry.person.name})
            entry.proposed_grade = grade
            entry.save(update_fields=["proposed_grade", "updated_at"])
        appraisal.status = AppraisalStatus.PROPOSED
        appraisal.save(update_fields=["status", "updated_at"])
        record("update", appraisal, detail={"proposed": {str(k): v for k, v in grades.items()}})
        limit = excellent_share_max(appraisal).value
        return rules.excellent_share_exceeded([e.proposed_grade for e in entries.values() if e.graded], limit)


def confirm(user, appraisal_id: int, meeting_id: int) -> Appraisal:
    """The members' meeting confirms the grades; the result then locks."""
    with transaction.atomic():
        appraisal = recheck(Appraisal.objects.all(), user, MANAGE, appraisal_id)
        _at(appraisal, AppraisalStatus.PROPOSED)
        meeting = Meeting.objects.filter(
            pk=meeting_id, organization=appraisal.organization, kind="members_meeting", status__in=HELD_STATUSES
        ).first()
        if meeting is None:
            raise ValidationError({"meeting": gettext("请选择本支部已召开的党员大会")})
        refusal = _not_confirming(appraisal, timezone.localdate(meeting.starts_at))
        if refusal:
            raise ValidationError({"meeting": refusal})
        for entry in appraisal.participants.select_for_update():
            entry.final_grade = entry.proposed_grade
            entry.save(update_fields=["final_grade", "updated_at"])
        before = snapshot(appraisal)
        appraisal.status = AppraisalStatus.CONFIRMED
        appraisal.confirmed_meeting = meeting
        appraisal.confirmed_at = timezone.now()
        appraisal.save()
        record("update", appraisal, before=before, after=snapshot(appraisal))
    return appraisal


def _not_confirming(appraisal: Appraisal, held_on) -> str:
    """Why a members' meeting held on ``held_on`` cannot confirm the appraisal's grades ("" when it can).

    The meeting confirms what self-review, mutual review and the vote led to (党员教育管理工作条例 第18条 names the
    steps 自评、互评、民主测评; that the branch's members' meeting then confirms the grades is practice, S): it
    is held on or after the day mutual review closed
    (or, for an appraisal from before that day was recorded, the day it was opened), and in the appraisal's
    year — or, for a year's appraisal opened early the next year (年度评议 held in January), in that year. A
    2022 meeting cannot confirm 2026 grades. Days are compared in the platform's time zone.
    """
    since = appraisal.review_closed_on or appraisal.opened_on
    if held_on < since:
        if appraisal.review_closed_on:
            message = gettext("该党员大会召开于%(held)s，早于本次民主评议互评结束的日期%(since)s，不能用于确认评议结果")
        else:
            message = gettext("该党员大会召开于%(held)s，早于本次民主评议的开展日期%(since)s，不能用于确认评议结果")
        return message % {"held": f"{held_on:%Y-%m-%d}", "since": f"{since:%Y-%m-%d}"}
    years = {appraisal.year} | ({appraisal.opened_on.year} & {appraisal.year + 1})
    if held_on.year not in years:
        return gettext("该党员大会召开于%(held)s，不在%(year)s年度民主评议的年度内，不能用于确认评议结果") % {
            "held": f"{held_on:%Y-%m-%d}",
            "year": appraisal.year,
        }
    return ""
