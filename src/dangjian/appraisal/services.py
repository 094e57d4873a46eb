"""The appraisal workflow: open → self and mutual review → democratic vote → proposed grades → confirmed.

Mutual ratings are anonymous: audit events say that a member submitted
ratings, never which grades they gave.
"""

from __future__ import annotations

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
from .rule_data import APPRAISAL_RULES

MANAGE = "appraisal.manage"


def excellent_share_max(appraisal):
    """The share of 优秀 above which the committee is warned: the institute's setting for the organisation."""
    return rule_store.table(APPRAISAL_RULES, appraisal.organization).rule("appraisal.excellent_share_max")


def _at(appraisal: Appraisal, *statuses: str) -> None:
    if appraisal.status not in statuses:
        raise ValidationError(f"当前阶段为「{appraisal.get_status_display()}」，不能进行此操作")


def open_appraisal(user, org_id: int, year: int) -> Appraisal:
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, MANAGE, org_id)
        if org.kind != "branch":
            raise ValidationError("民主评议以党支部为单位开展")
        if Appraisal.objects.filter(organization=org, year=year).exists():
            raise ValidationError(f"{org.name}已有{year}年度的民主评议")
        # 停止党籍 (党员教育管理工作条例 第24条): a member whose rights are stopped is not appraised with the branch
        members = list(
            Membership.objects.current().without_rights_stopped().filter(organization=org).select_related("person")
        )
        if not members:
            raise ValidationError("该党支部没有党员")
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

        raise Http404("您未参加该次民主评议")
    return entry


def save_self_review(user, appraisal_id: int, text: str) -> Participant:
    with transaction.atomic():
        entry = own_entry(user, appraisal_id)
        _at(entry.appraisal, AppraisalStatus.OPEN)
        if not text.strip():
            raise ValidationError({"self_review": "自评内容不能为空"})
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
                raise ValidationError("只能评议本支部其他参评党员")
            if grade not in Grade.values:
                raise ValidationError(f"无效的等次：{grade}")
            MutualRating.objects.update_or_create(
                ratee_id=ratee_id, rater_digest=digest, defaults={"grade": grade, "appraisal": appraisal}
            )
        record("update", appraisal, detail={"mutual_review_submitted": len(grades)})
    return len(grades)


def ratings_given(entry: Participant) -> int:
    """How many others this participant rated: found by the rater's digest, as the ratings are stored."""
    digest = rater_digest(entry.appraisal_id, entry.person_id)
    return MutualRating.objects.filter(appraisal_id=entry.appraisal_id, rater_digest=digest).count()


def mutual_tallies(appraisal: Appraisal) -> dict[int, dict[str, int]]:
    """Counts per participant and grade; the only view of mutual review anyone gets."""
    out = {pk: dict.fromkeys(rules.GRADES, 0) for pk in appraisal.participants.values_list("pk", flat=True)}
    counts = (
        MutualRating.objects.filter(appraisal=appraisal)
        .values("ratee_id", "grade")
        .annotate(n=Count("id"))
        .values_list("ratee_id", "grade", "n")
    )
    for ratee_id, grade, n in counts:
        out[ratee_id][grade] = n
    return out


def start_vote(user, appraisal_id: int) -> Appraisal:
    with transaction.atomic():
        appraisal = recheck(Appraisal.objects.all(), user, MANAGE, appraisal_id)
        _at(appraisal, AppraisalStatus.OPEN)
        appraisal.status = AppraisalStatus.VOTING
        appraisal.save(update_fields=["status", "updated_at"])
        record("update", appraisal, before={"status": "open"}, after={"status": appraisal.status})
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
                raise ValidationError("参评党员不属于本次评议")
            if any(v < 0 for v in c.values()):
                raise ValidationError("票数不能为负数")
            if sum(c.values()) > voters:
                raise ValidationError(f"{entry.person.name}的票数之和超过参加测评人数 {voters}")
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
                raise ValidationError(f"请为{entry.person.name}提出等次")
            if not entry.graded and grade:
                raise ValidationError(f"{entry.person.name}为预备党员，参加评议但不评定等次")
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
            raise ValidationError({"meeting": "请选择本支部已召开的党员大会"})
        # The meeting confirms the grades that self-review, mutual review and the vote led to: it cannot have
        # been held before the appraisal was opened. Compared as days in the platform's time zone.
        held_on = timezone.localdate(meeting.starts_at)
        if held_on < appraisal.opened_on:
            raise ValidationError(
                {
                    "meeting": gettext(
                        "该党员大会召开于%(held)s，早于本次民主评议的开展日期%(opened)s，不能用于确认评议结果"
                    )
                    % {"held": f"{held_on:%Y-%m-%d}", "opened": f"{appraisal.opened_on:%Y-%m-%d}"}
                }
            )
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
