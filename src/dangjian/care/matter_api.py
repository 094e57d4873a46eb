"""Practical matters for staff (我为群众办实事) for other systems: the yearly list with the page's filters, one project
with its milestones and evidence, and the page's writes (create, edit, add a milestone, complete it, withdraw a
project recorded by mistake) through the same service (``matter_services``: scope, audit). Evidence files are
uploaded on the page."""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date
from typing import Annotated

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from ninja import Field, FilterLookup, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.api.common import BoundedLimitOffsetPagination, ErrorOut, ScopedFilter, need
from dangjian.core.scoping import get_visible
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from . import matter_services
from .models import Evidence, MatterStatus, Milestone, PracticalMatter
from .services import CHANGE, VIEW

router = Router(tags=["care"])


class MatterOut(Schema):
    id: int
    title: str
    year: int
    organization_id: int
    organization_name: str
    owner_id: int
    owner_name: str
    status: str
    beneficiary_count: int
    beneficiary_groups: str
    milestone_count: int
    milestones_done: int

    @staticmethod
    def resolve_organization_name(m: PracticalMatter) -> str:
        return m.organization.name

    @staticmethod
    def resolve_owner_name(m: PracticalMatter) -> str:
        return m.owner.name


class MilestoneOut(Schema):
    id: int
    title: str
    planned_on: date
    done_on: date | None


class EvidenceOut(Schema):
    id: int
    name: str
    size: int


class MatterDetailOut(MatterOut):
    description: str
    evidence_reference: str
    milestones: list[MilestoneOut]
    evidence: list[EvidenceOut] = Field(..., description="佐证材料（文件在页面下载）")

    @staticmethod
    def resolve_milestones(m: PracticalMatter) -> list:
        return list(m.milestones.all())

    @staticmethod
    def resolve_evidence(m: PracticalMatter) -> list:
        return list(m.evidence.all())


class MatterFilter(ScopedFilter):
    # applied when absent too (ignore_none=False): the page lists one year, this one by default
    year: Annotated[int | None, FilterLookup(None, ignore_none=False)] = Field(
        None, ge=2000, le=2100, description="年度，默认本年"
    )
    organization: int | None = Field(None, description="党组织 id（含下级组织）")
    status: MatterStatus | None = None

    def filter_year(self, value: int | None) -> Q:
        return Q(year=value or timezone.localdate().year)

    def filter_organization(self, value: int | None) -> Q:
        return self.in_scope_subtree("organization", value)


class MatterIn(Schema):
    organization_id: int
    owner_id: int = Field(..., description="负责人（人员 id）")
    title: str = Field(..., max_length=200)
    year: int = Field(..., ge=2000, le=2100)
    description: str = ""
    beneficiary_count: int = Field(0, ge=0, le=1_000_000)
    beneficiary_groups: str = Field("", max_length=200)
    status: MatterStatus = MatterStatus.PLANNED
    evidence_reference: str = Field("", max_length=300)


class MilestoneIn(Schema):
    title: str = Field(..., max_length=200)
    planned_on: date


class DoneIn(Schema):
    done_on: date


class WithdrawIn(Schema):
    reason: str = Field(..., max_length=200, description="撤销原因")


def _matters():
    return PracticalMatter.objects.select_related("organization", "owner").annotate(
        milestone_count=Count("milestones", distinct=True),
        milestones_done=Count("milestones", filter=Q(milestones__done_on__isnull=False), distinct=True),
    )


def _matter(request, matter_id: int) -> PracticalMatter:
    qs = _matters().prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("planned_on", "id")),
        Prefetch("evidence", queryset=Evidence.objects.order_by("id")),
    )
    return get_visible(qs, request.user, VIEW, pk=matter_id)


def _save(request, matter_id: int | None, body: MatterIn) -> PracticalMatter:
    """The service takes the page form's chosen organisation and owner; it re-reads both in the user's scope (an
    organisation outside it is 404, an owner outside it a Chinese refusal), so only their ids matter here."""
    data = body.dict(exclude={"organization_id", "owner_id"})
    data["organization"], data["owner"] = Organization(pk=body.organization_id), Person(pk=body.owner_id)
    return matter_services.save_matter(request.user, matter_id, data)


@router.get("care/matters", response={200: list[MatterOut], 422: ErrorOut})
@paginate(BoundedLimitOffsetPagination)
def list_matters(request, filters: Query[MatterFilter]):
    need(request, VIEW)
    qs = filters.apply(_matters().visible_to(request.user, VIEW), request, VIEW)
    return qs.order_by("organization__path", "id")


@router.get("care/matters/{int:matter_id}", response=MatterDetailOut)
def get_matter(request, matter_id: int):
    need(request, VIEW)
    return _matter(request, matter_id)


@router.post("care/matters", response={201: MatterDetailOut, 422: ErrorOut})
def create_matter(request, body: MatterIn):
    need(request, CHANGE)
    matter = _save(request, None, body)
    return Status(201, _matter(request, matter.pk))


@router.put("care/matters/{int:matter_id}", response={200: MatterDetailOut, 422: ErrorOut})
def update_matter(request, matter_id: int, body: MatterIn):
    """Every field, as the page's edit form sends them."""
    need(request, CHANGE)
    get_visible(PracticalMatter.objects.all(), request.user, CHANGE, pk=matter_id)
    _save(request, matter_id, body)
    return Status(200, _matter(request, matter_id))


@router.post("care/matters/{int:matter_id}/milestones", response={201: MatterDetailOut, 422: ErrorOut})
def add_milestone(request, matter_id: int, body: MilestoneIn):
    need(request, CHANGE)
    get_visible(PracticalMatter.objects.all(), request.user, CHANGE, pk=matter_id)
    matter_services.add_milestone(request.user, matter_id, body.title, body.planned_on)
    return Status(201, _matter(request, matter_id))


@router.post("care/milestones/{int:milestone_id}/done", response={200: MatterDetailOut, 422: ErrorOut})
def complete_milestone(request, milestone_id: int, body: DoneIn):
    need(request, CHANGE)
    alive = Milestone.objects.filter(matter__deleted_at__isnull=True)
    milestone = get_visible(alive, request.user, CHANGE, pk=milestone_id)
    matter_services.complete_milestone(request.user, milestone_id, body.done_on)
    return Status(200, _matter(request, milestone.matter_id))


@router.post("care/matters/{int:matter_id}/withdraw", response={204: None, 422: ErrorOut})
def withdraw_matter(request, matter_id: int, body: WithdrawIn):
    """A project recorded by mistake leaves the yearly list and export; it is kept, never erased."""
    need(request, CHANGE)
    get_visible(PracticalMatter.objects.all(), request.user, CHANGE, pk=matter_id)
    matter_services.withdraw_matter(request.user, matter_id, body.reason)
    return Status(204, None)
