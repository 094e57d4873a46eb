"""Democratic appraisals (民主评议党员) for other systems: tallies only.

Mutual ratings are anonymous (only a digest of the rater is stored) and the API, like the page, gives counts per
grade, never who rated or voted what. The per-member tallies and grades are answered only to those who run the
appraisal (``appraisal.manage`` over its branch), as on the page; everyone else in scope gets the appraisal's
figures: participants, self-reviews written and, once confirmed, how many members got each grade.

The writes are the page's: those who run it open the appraisal, start the vote, enter its tallies, propose the
grades and confirm them with the members' meeting; a member writes their own self-review and rates the others.
A member's ratings are stored under a digest of the rater and answered only as counts; the answer to a member's
own writes says how many they rated, never which grade.
"""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, ScopedFilter, need
from dangjian.core.scoping import get_visible

from . import services
from .models import Appraisal, AppraisalStatus, Grade, Participant
from .rules import GRADES

VIEW, MANAGE = "appraisal.view", services.MANAGE

router = Router(tags=["appraisals"])

_ANNOTATIONS = {
    "participant_count": Count("participants", distinct=True),
    "graded_count": Count("participants", filter=Q(participants__graded=True), distinct=True),
    "reviewed_count": Count("participants", filter=~Q(participants__self_review=""), distinct=True),
}


class AppraisalOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    year: int
    status: str
    confirmed_at: datetime | None
    confirmed_meeting_id: int | None
    participant_count: int
    graded_count: int
    reviewed_count: int

    @staticmethod
    def resolve_organization_name(a: Appraisal) -> str:
        return a.organization.name


class Tally(Schema):
    excellent: int
    qualified: int
    basic: int
    unqualified: int


class ParticipantOut(Schema):
    person_id: int
    name: str
    graded: bool
    democratic_vote: Tally = Field(..., description="民主测评票数")
    mutual_review: Tally | None = Field(
        None, description="互评票数（匿名；互评结束且参与互评不少于本单位设置的人数后才提供）"
    )
    proposed_grade: str
    final_grade: str


class AppraisalDetailOut(AppraisalOut):
    final_grades: Tally | None = Field(None, description="确认后各等次人数")
    participants: list[ParticipantOut] | None = Field(None, description="仅组织评议者可见")
    excellent_share_exceeded: bool | None = Field(None, description="提出等次时：优秀比例是否超过本单位设置")
    mutual_review_withheld: str | None = Field(None, description="不提供互评票数的原因（仅组织评议者可见）")

    @staticmethod
    def resolve_final_grades(a: Appraisal) -> dict | None:
        return a.api_final_grades

    @staticmethod
    def resolve_participants(a: Appraisal) -> list | None:
        return a.api_participants

    @staticmethod
    def resolve_excellent_share_exceeded(a: Appraisal) -> bool | None:
        return a.api_excellent_share_exceeded

    @staticmethod
    def resolve_mutual_review_withheld(a: Appraisal) -> str | None:
        return a.api_mutual_review_withheld


class AppraisalFilter(ScopedFilter):
    organization: int | None = Field(None, description="党组织 id（含下级组织）")
    year: int | None = Field(None, ge=2000, le=2100)
    status: AppraisalStatus | None = None

    def filter_organization(self, value: int | None) -> Q:
        return self.in_scope_subtree("organization", value)


class AppraisalIn(Schema):
    organization_id: int
    year: int = Field(..., ge=2000, le=2100)


class VoteEntry(Schema):
    person_id: int
    excellent: int = Field(0, ge=0, le=9999)
    qualified: int = Field(0, ge=0, le=9999)
    basic: int = Field(0, ge=0, le=9999)
    unqualified: int = Field(0, ge=0, le=9999)


class VotesIn(Schema):
    entries: list[VoteEntry]


class GradeEntry(Schema):
    person_id: int
    grade: str = Field(
        "", max_length=20, description="excellent、qualified、basic、unqualified；不评定等次的预备党员为空"
    )


class GradesIn(Schema):
    entries: list[GradeEntry]


class ConfirmIn(Schema):
    meeting_id: int = Field(..., description="确认评议结果的支部党员大会（已召开）")


class SelfReviewIn(Schema):
    text: str = Field(..., description="自评")


class RatingEntry(Schema):
    person_id: int
    grade: Grade


class RatingsIn(Schema):
    entries: list[RatingEntry]


class MyReviewOut(Schema):
    appraisal_id: int
    self_review: str
    rated: int = Field(..., description="已互评的人数（匿名，不显示等次）")


@router.get("appraisals", response={200: list[AppraisalOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def list_appraisals(request, filters: Query[AppraisalFilter]):
    need(request, VIEW)
    qs = filters.apply(Appraisal.objects.visible_to(request.user, VIEW).select_related("organization"), request, VIEW)
    return qs.annotate(**_ANNOTATIONS).order_by("-year", "organization__path", "id")


@router.get("appraisals/{int:appraisal_id}", response=AppraisalDetailOut)
def get_appraisal(request, appraisal_id: int):
    need(request, VIEW)
    return _detail(request, appraisal_id)


@router.post("appraisals", response={201: AppraisalDetailOut, 422: ErrorOut})
def open_appraisal(request, body: AppraisalIn):
    """Opens a branch's yearly appraisal with its current members as participants."""
    need(request, MANAGE)
    appraisal = services.open_appraisal(request.user, body.organization_id, body.year)
    return Status(201, _detail(request, appraisal.pk))


@router.put("appraisals/{int:appraisal_id}/votes", response={200: AppraisalDetailOut, 422: ErrorOut})
def record_votes(request, appraisal_id: int, body: VotesIn):
    """The democratic vote's counts per member as counted at the meeting: tallies, never ballots."""
    appraisal = _manageable(request, appraisal_id)
    participants = _participants(appraisal, [e.person_id for e in body.entries])
    counts = {participants[e.person_id]: e.dict(exclude={"person_id"}) for e in body.entries}
    services.record_vote(request.user, appraisal_id, counts)
    return Status(200, _detail(request, appraisal_id))


def _participants(appraisal: Appraisal, person_ids, *, field: str = "person_id") -> dict[int, int]:
    """Participant ids by person id; a person who is not a participant is refused in Chinese."""
    participants = dict(appraisal.participants.values_list("person_id", "pk"))
    unknown = [p for p in person_ids if p not in participants]
    if unknown:
        raise ValidationError({field: _("该人员未参加本次民主评议")})
    return participants


def _manageable(request, appraisal_id: int) -> Appraisal:
    need(request, MANAGE)
    return get_visible(Appraisal.objects.all(), request.user, MANAGE, pk=appraisal_id)


@router.post("appraisals/{int:appraisal_id}/start-vote", response={200: AppraisalDetailOut, 422: ErrorOut})
def start_vote(request, appraisal_id: int, confirm_missing: bool = False):
    """Ends self and mutual review and opens the democratic vote. With self-reviews missing the answer is 422,
    naming who has not written one; ``?confirm_missing=true`` moves on all the same, as the page's tick does."""
    _manageable(request, appraisal_id)
    services.start_vote(request.user, appraisal_id, confirm_missing=confirm_missing)
    return Status(200, _detail(request, appraisal_id))


@router.put("appraisals/{int:appraisal_id}/grades", response={200: AppraisalDetailOut, 422: ErrorOut})
def propose_grades(request, appraisal_id: int, body: GradesIn):
    """The committee's proposed grade for every graded member; the answer warns when 优秀 exceeds the share the
    institute set (saved all the same, as on the page)."""
    appraisal = _manageable(request, appraisal_id)
    participants = _participants(appraisal, [e.person_id for e in body.entries])
    grades = {participants[e.person_id]: e.grade for e in body.entries}
    exceeded = services.propose_grades(request.user, appraisal_id, grades)
    detail = _detail(request, appraisal_id)
    detail.api_excellent_share_exceeded = exceeded
    return Status(200, detail)


@router.post("appraisals/{int:appraisal_id}/confirm", response={200: AppraisalDetailOut, 422: ErrorOut})
def confirm(request, appraisal_id: int, body: ConfirmIn):
    """The members' meeting confirms the proposed grades; the result then locks."""
    _manageable(request, appraisal_id)
    services.confirm(request.user, appraisal_id, body.meeting_id)
    return Status(200, _detail(request, appraisal_id))


def _mine(request, appraisal_id: int, rated: int | None = None) -> dict:
    entry = services.own_entry(request.user, appraisal_id)
    if rated is None:
        rated = services.ratings_given(entry)
    return {"appraisal_id": appraisal_id, "self_review": entry.self_review, "rated": rated}


@router.get("appraisals/{int:appraisal_id}/mine", response=MyReviewOut)
def my_review(request, appraisal_id: int):
    """The member's own part: their self-review and how many others they rated. Not a participant: 404."""
    need(request, VIEW)
    return _mine(request, appraisal_id)


@router.put("appraisals/{int:appraisal_id}/mine/self-review", response={200: MyReviewOut, 422: ErrorOut})
def save_self_review(request, appraisal_id: int, body: SelfReviewIn):
    need(request, VIEW)
    services.save_self_review(request.user, appraisal_id, body.text)
    return Status(200, _mine(request, appraisal_id))


@router.put("appraisals/{int:appraisal_id}/mine/ratings", response={200: MyReviewOut, 422: ErrorOut})
def rate_others(request, appraisal_id: int, body: RatingsIn):
    """The member's anonymous ratings of the others (a later submission revises them while review is open)."""
    need(request, VIEW)
    entry = services.own_entry(request.user, appraisal_id)
    participants = _participants(entry.appraisal, [e.person_id for e in body.entries])
    services.rate_others(request.user, appraisal_id, {participants[e.person_id]: e.grade for e in body.entries})
    return Status(200, _mine(request, appraisal_id))


def _detail(request, appraisal_id: int) -> Appraisal:
    qs = Appraisal.objects.select_related("organization").annotate(**_ANNOTATIONS)
    appraisal = get_visible(qs, request.user, VIEW, pk=appraisal_id)
    appraisal.api_final_grades = appraisal.api_participants = appraisal.api_excellent_share_exceeded = None
    appraisal.api_mutual_review_withheld = None
    participants = list(Participant.objects.filter(appraisal=appraisal).select_related("person"))
    if appraisal.status == AppraisalStatus.CONFIRMED:
        appraisal.api_final_grades = {g: sum(1 for p in participants if p.final_grade == g) for g in GRADES}
    if Appraisal.objects.visible_to(request.user, MANAGE).filter(pk=appraisal.pk).exists():
        review = services.mutual_review(appraisal)
        tallies = review.tallies
        appraisal.api_mutual_review_withheld = review.withheld or None
        appraisal.api_participants = [
            {
                "person_id": p.person_id,
                "name": p.person.name,
                "graded": p.graded,
                "democratic_vote": p.vote_counts,
                "mutual_review": None if tallies is None else tallies.get(p.pk, dict.fromkeys(GRADES, 0)),
                "proposed_grade": p.proposed_grade,
                "final_grade": p.final_grade,
            }
            for p in participants
        ]
    return appraisal
