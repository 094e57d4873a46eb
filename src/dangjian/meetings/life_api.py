"""Talks and study hours for other systems: reads per year and organisation, and recording a talk or a study
record through the same services as the pages (each audited, scope re-checked)."""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, in_subtree, need, visible_org
from dangjian.people.models import Membership, Person

from . import life_services
from .life import with_hours
from .models import StudyRecord, Talk

VIEW, CHANGE = "life.view", life_services.CHANGE
YEAR = Field(None, ge=2000, le=2100, description="年度")

router = Router()


class TalkOut(Schema):
    id: int
    organization_id: int
    talker_id: int
    talker_name: str
    talkee_id: int
    talkee_name: str
    held_on: date
    follow_up_due: date | None

    @staticmethod
    def resolve_talker_name(t: Talk) -> str:
        return t.talker.name

    @staticmethod
    def resolve_talkee_name(t: Talk) -> str:
        return t.talkee.name


class TalkFilter(Schema):
    organization: int | None = Field(None, description="党组织 id（含下级组织）")
    year: int | None = YEAR
    person: int | None = Field(None, description="谈话人或谈话对象的人员 id")


class TalkIn(Schema):
    organization_id: int
    talker_id: int
    talkee_id: int
    held_on: date
    topics: str
    follow_up: str = ""
    follow_up_due: date | None = None


class HoursOut(Schema):
    person_id: int = Field(..., alias="id")
    name: str
    meeting_hours: Decimal
    study_hours: Decimal
    hours: Decimal


class HoursFilter(Schema):
    year: int = Field(..., ge=2000, le=2100, description="年度")
    organization: int | None = Field(None, description="党组织 id（含下级组织）")


class StudyOut(Schema):
    id: int
    person_id: int
    studied_on: date
    title: str
    hours: Decimal


class StudyFilter(Schema):
    year: int | None = YEAR
    person: int | None = None


class StudyIn(Schema):
    person_id: int
    studied_on: date
    title: str
    hours: Decimal = Field(..., max_digits=5, decimal_places=1)


def _person(request, pk: int, field: str) -> Person:
    person = Person.objects.visible_to(request.user, CHANGE).filter(pk=pk).first()
    if person is None:
        raise ValidationError({field: _("该人员不在您的管理范围内")})
    return person


@router.get("talks", response={200: list[TalkOut], 422: ErrorOut}, tags=["talks"])
@paginate(BoundedLimitOffsetPagination)
def list_talks(request, filters: Query[TalkFilter]):
    need(request, VIEW)
    qs = Talk.objects.visible_to(request.user, VIEW).select_related("talker", "talkee").order_by("-held_on", "-id")
    qs = in_subtree(qs, "organization", request, VIEW, filters.organization)
    if filters.year:
        qs = qs.filter(held_on__year=filters.year)
    if filters.person:
        qs = qs.filter(Q(talker_id=filters.person) | Q(talkee_id=filters.person))
    return qs


@router.post("talks", response={201: TalkOut, 422: ErrorOut}, tags=["talks"])
def record_talk(request, body: TalkIn):
    need(request, CHANGE)
    org = visible_org(request, CHANGE, body.organization_id)
    data = body.dict(exclude={"organization_id", "talker_id", "talkee_id"})
    data.update(
        organization=org,
        talker=_person(request, body.talker_id, "talker"),
        talkee=_person(request, body.talkee_id, "talkee"),
    )
    talk = life_services.record_talk(request.user, data)
    return Status(201, Talk.objects.select_related("talker", "talkee").get(pk=talk.pk))


@router.get("study-hours", response={200: list[HoursOut], 422: ErrorOut}, tags=["study-hours"])
@paginate(BoundedLimitOffsetPagination)
def list_hours(request, filters: Query[HoursFilter]):
    """Each member's class hours of the year: credited meetings plus study records (条例 art. 20)."""
    need(request, VIEW)
    people = Person.objects.visible_to(request.user, VIEW).filter(political_status__in=["member", "probationary"])
    if filters.organization:
        members = in_subtree(Membership.objects.current(), "organization", request, VIEW, filters.organization)
        people = people.filter(pk__in=members.values("person_id"))
    return with_hours(people, filters.year).order_by("name", "id")


@router.get("study-records", response={200: list[StudyOut], 422: ErrorOut}, tags=["study-hours"])
@paginate(BoundedLimitOffsetPagination)
def list_study_records(request, filters: Query[StudyFilter]):
    need(request, VIEW)
    qs = StudyRecord.objects.visible_to(request.user, VIEW).order_by("-studied_on", "-id")
    if filters.year:
        qs = qs.filter(studied_on__year=filters.year)
    if filters.person:
        qs = qs.filter(person_id=filters.person)
    return qs


@router.post("study-records", response={201: StudyOut, 422: ErrorOut}, tags=["study-hours"])
def add_study(request, body: StudyIn):
    need(request, CHANGE)
    data = body.dict(exclude={"person_id"})
    data["person"] = _person(request, body.person_id, "person")
    return Status(201, life_services.add_study(request.user, data))
