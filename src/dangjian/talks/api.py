"""Talks, study hours and contact points for other systems: reads per year and organisation, and the writes the
pages allow (a talk, a study record, a contact point, a visit, the hour rates) through the same services as the
pages, each audited on the api channel with its scope re-checked."""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.scope import WHOLE_TREE, can
from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, in_subtree, need, visible_org
from dangjian.meetings.models import MeetingKind
from dangjian.people.models import Membership, Person

from . import services
from .figures import with_hours
from .models import ContactPoint, ContactVisit, HourRate, StudyRecord, Talk
from .services import ASSIGN, CHANGE, MAX_RATE, VIEW

YEAR = Field(None, ge=2000, le=2100, description="年度")

router = Router()


class InSubtree(FilterSchema):
    """``organization`` narrows to that organisation's subtree, which must be in the caller's scope (404 outside
    it): it needs the request, so ``narrow`` applies it after the plain filters."""

    organization: int | None = Field(None, description="党组织 id（含下级组织）")

    def filter_organization(self, value: int | None) -> Q:
        return Q()  # applied by narrow(), which can check the scope

    def narrow(self, request, qs: QuerySet, field: str = "organization") -> QuerySet:
        return in_subtree(self.filter(qs), field, request, VIEW, self.organization)


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


class TalkFilter(InSubtree):
    year: Annotated[int | None, FilterLookup("held_on__year")] = YEAR
    person: int | None = Field(None, description="谈话人或谈话对象的人员 id")

    def filter_person(self, value: int | None) -> Q:
        return Q(talker_id=value) | Q(talkee_id=value) if value else Q()


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


class HoursFilter(FilterSchema):
    year: int = Field(..., ge=2000, le=2100, description="年度")
    organization: int | None = Field(None, description="党组织 id（含下级组织）")

    def filter_year(self, value: int) -> Q:
        return Q()  # the year the hours are counted for, not a filter on people

    def filter_organization(self, value: int | None) -> Q:
        return Q()  # members of the subtree, checked against the scope in list_hours


class StudyOut(Schema):
    id: int
    person_id: int
    studied_on: date
    title: str
    hours: Decimal


class StudyFilter(FilterSchema):
    year: Annotated[int | None, FilterLookup("studied_on__year")] = YEAR
    person: Annotated[int | None, FilterLookup("person_id")] = None


class StudyIn(Schema):
    person_id: int
    studied_on: date
    title: str
    hours: Decimal = Field(..., max_digits=5, decimal_places=1)


class ContactPointOut(Schema):
    id: int
    leader_id: int
    leader_name: str
    organization_id: int
    organization_name: str
    since: date
    until: date | None

    @staticmethod
    def resolve_leader_name(p: ContactPoint) -> str:
        return p.leader.name

    @staticmethod
    def resolve_organization_name(p: ContactPoint) -> str:
        return p.organization.name


class ContactPointFilter(InSubtree):
    leader: Annotated[int | None, FilterLookup("leader_id")] = Field(None, description="领导的人员 id")
    on: date | None = Field(None, description="在该日有效的联系点")

    def filter_on(self, value: date | None) -> Q:
        if value is None:
            return Q()
        return Q(since__lte=value) & (Q(until__isnull=True) | Q(until__gte=value))


class ContactPointIn(Schema):
    leader_id: int
    organization_id: int
    since: date
    until: date | None = None


class VisitOut(Schema):
    id: int
    contact_point_id: int
    visited_on: date
    summary: str
    issues: str


class VisitFilter(FilterSchema):
    year: Annotated[int | None, FilterLookup("visited_on__year")] = YEAR


class VisitIn(Schema):
    visited_on: date
    summary: str
    issues: str = ""


class HourRateOut(Schema):
    kind: MeetingKind
    label: str
    hours: Decimal

    @staticmethod
    def resolve_label(r: HourRate) -> str:
        return str(r.get_kind_display())


class HourRateIn(Schema):
    kind: MeetingKind
    hours: Decimal = Field(..., ge=0, le=MAX_RATE, max_digits=3, decimal_places=1)


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
    return filters.narrow(request, qs)


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
    talk = services.record_talk(request.user, data)
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
    return with_hours(filters.filter(people), filters.year).order_by("sort_key", "name", "id")


@router.get("study-records", response={200: list[StudyOut], 422: ErrorOut}, tags=["study-hours"])
@paginate(BoundedLimitOffsetPagination)
def list_study_records(request, filters: Query[StudyFilter]):
    need(request, VIEW)
    return filters.filter(StudyRecord.objects.visible_to(request.user, VIEW).order_by("-studied_on", "-id"))


@router.post("study-records", response={201: StudyOut, 422: ErrorOut}, tags=["study-hours"])
def add_study(request, body: StudyIn):
    need(request, CHANGE)
    data = body.dict(exclude={"person_id"})
    data["person"] = _person(request, body.person_id, "person")
    return Status(201, services.add_study(request.user, data))


@router.get("hour-rates", response={200: list[HourRateOut]}, tags=["study-hours"])
def list_hour_rates(request):
    """Hours credited for attending one meeting of each kind."""
    need(request, VIEW)
    return list(HourRate.objects.order_by("kind"))


@router.put("hour-rates", response={200: list[HourRateOut], 422: ErrorOut}, tags=["study-hours"])
def set_hour_rates(request, body: list[HourRateIn]):
    """New hours for the kinds given (the others keep theirs); the institute's office only, as on the page."""
    need(request, CHANGE)
    if not can(request.user, "rules.edit", WHOLE_TREE):  # the rates count for every organisation
        raise Http404
    rates: dict[str, Decimal] = {}
    for row in body:
        if row.kind.value in rates:
            raise ValidationError({"kind": _("会议类型重复：%(kind)s") % {"kind": row.kind.label}})
        rates[row.kind.value] = row.hours
    services.set_hour_rates(request.user, rates)
    return list(HourRate.objects.order_by("kind"))


def _points(request) -> QuerySet:
    return ContactPoint.objects.visible_to(request.user, VIEW).select_related("leader", "organization")


@router.get("contact-points", response={200: list[ContactPointOut], 422: ErrorOut}, tags=["contact-points"])
@paginate(BoundedLimitOffsetPagination)
def list_contact_points(request, filters: Query[ContactPointFilter]):
    need(request, VIEW)
    return filters.narrow(request, _points(request).order_by("leader__sort_key", "leader__name", "-since", "pk"))


@router.post("contact-points", response={201: ContactPointOut, 422: ErrorOut}, tags=["contact-points"])
def assign_contact_point(request, body: ContactPointIn):
    """The office assigns a leader a branch in its subtree, as on the page (life.assign)."""
    need(request, ASSIGN)
    leader = services.leaders(request.user).filter(pk=body.leader_id).first()
    if leader is None:
        raise ValidationError({"leader_id": services.LEADER_REQUIRED})
    branch = services.assignable_branches(request.user).filter(pk=body.organization_id).first()
    if branch is None:
        raise ValidationError({"organization_id": _("联系点应为您管理范围内现有的党支部")})
    point = services.assign_contact_point(
        request.user, {"leader": leader, "organization": branch, "since": body.since, "until": body.until}
    )
    return Status(201, _points(request).get(pk=point.pk))


@router.get(
    "contact-points/{int:point_id}/visits",
    response={200: list[VisitOut], 422: ErrorOut},
    tags=["contact-points"],
)
@paginate(BoundedLimitOffsetPagination)
def list_visits(request, point_id: int, filters: Query[VisitFilter]):
    need(request, VIEW)
    point = _points(request).filter(pk=point_id).first()
    if point is None:
        raise Http404
    return filters.filter(ContactVisit.objects.filter(contact_point=point).order_by("-visited_on", "-id"))


@router.post(
    "contact-points/{int:point_id}/visits",
    response={201: VisitOut, 422: ErrorOut},
    tags=["contact-points"],
)
def record_visit(request, point_id: int, body: VisitIn):
    """The leader records a visit to their own contact point, or the office does it for them."""
    need(request, VIEW)
    if not _points(request).filter(pk=point_id).exists():
        raise Http404
    return Status(201, services.record_visit(request.user, point_id, body.dict()))
