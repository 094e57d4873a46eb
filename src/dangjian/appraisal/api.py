"""Democratic appraisals (民主评议党员) for other systems: tallies only.

Mutual ratings are anonymous (only a digest of the rater is stored) and the API, like the page, gives counts per
grade, never who rated or voted what. The per-member tallies and grades are answered only to those who run the
appraisal (``appraisal.manage`` over its branch), as on the page; everyone else in scope gets the appraisal's
figures: participants, self-reviews written and, once confirmed, how many members got each grade.
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
from .models import Appraisal, AppraisalStatus, Participant
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
    mutual_review: Tally = Field(..., description="互评票数（匿名）")
    proposed_grade: str
    final_grade: str


class AppraisalDetailOut(AppraisalOut):
    final_grades: Tally | None = Field(None, description="确认后各等次人数")
    participants: list[ParticipantOut] | None = Field(None, description="仅组织评议者可见")

    @staticmethod
    def resolve_final_grades(a: Appraisal) -> dict | None:
        return a.api_final_grades

    @staticmethod
    def resolve_participants(a: Appraisal) -> list | None:
        return a.api_participants


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
    need(request, MANAGE)
    appraisal = get_visible(Appraisal.objects.all(), request.user, MANAGE, pk=appraisal_id)
    participants = dict(appraisal.participants.values_list("person_id", "pk"))
    counts = {}
    for entry in body.entries:
        if entry.person_id not in participants:
            raise ValidationError({"person_id": _("该人员未参加本次民主评议")})
        counts[participants[entry.person_id]] = entry.dict(exclude={"person_id"})
    services.record_vote(request.user, appraisal_id, counts)
    return Status(200, _detail(request, appraisal_id))


def _detail(request, appraisal_id: int) -> Appraisal:
    qs = Appraisal.objects.select_related("organization").annotate(**_ANNOTATIONS)
    appraisal = get_visible(qs, request.user, VIEW, pk=appraisal_id)
    appraisal.api_final_grades = appraisal.api_participants = None
    participants = list(Participant.objects.filter(appraisal=appraisal).select_related("person"))
    if appraisal.status == AppraisalStatus.CONFIRMED:
        appraisal.api_final_grades = {g: sum(1 for p in participants if p.final_grade == g) for g in GRADES}
    if Appraisal.objects.visible_to(request.user, MANAGE).filter(pk=appraisal.pk).exists():
        tallies = services.mutual_tallies(appraisal)
        appraisal.api_participants = [
            {
                "person_id": p.person_id,
                "name": p.person.name,
                "graded": p.graded,
                "democratic_vote": p.vote_counts,
                "mutual_review": tallies.get(p.pk, dict.fromkeys(GRADES, 0)),
                "proposed_grade": p.proposed_grade,
                "final_grade": p.final_grade,
            }
            for p in participants
        ]
    return appraisal
