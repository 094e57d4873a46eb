from typing import Annotated

from django.contrib.auth import authenticate
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import FilterLookup, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangjian.accounts import second_factor, tokens
from dangjian.accounts.hygiene import must_change_password
from dangjian.accounts.lockout import lockout_message
from dangjian.accounts.scope import has_perm
from dangjian.core import context
from dangjian.core.scoping import get_visible
from dangjian.orgs import services as org_services
from dangjian.orgs.models import Organization
from dangjian.orgs.models.organization import active_q, children_q
from dangjian.people import services as people_services
from dangjian.people.filters import PersonFilterSet
from dangjian.people.id_taken import id_number_taken
from dangjian.people.models import Membership, Person
from dangjian.people.models.membership import current_q

from .common import ScopedFilter, visible_org
from .pagination import BoundedLimitOffsetPagination
from .schemas import (
    DissolveIn,
    ErrorOut,
    MembershipOut,
    MoveIn,
    OrganizationIn,
    OrganizationOut,
    OrganizationPatch,
    PersonIn,
    PersonListOut,
    PersonOut,
    PersonPatch,
    TokenIn,
    TokenOut,
)

router = Router()


def _patch_data(body: Schema, *, nullable: set[str]) -> dict:
    """The fields a PATCH sets; an explicit null is accepted only where the column may be empty."""
    from django.core.exceptions import ValidationError

    data = body.dict(exclude_unset=True)
    refused = sorted(k for k, v in data.items() if v is None and k not in nullable)
    if refused:
        raise ValidationError({k: _("不能设为空值（null）") for k in refused})
    return data


def _need(request, perm: str) -> None:
    if not has_perm(request.user, perm):
        raise Http404


@router.post(
    "auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut}, tags=["auth"]
)
def issue_token(request, body: TokenIn):
    user = authenticate(request, username=body.username, password=body.password)
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"detail": lockout_message()})
    if user is None:
        return Status(401, {"detail": _("用户名或密码错误")})
    refusal = second_factor.token_refusal(request, user, body.otp)
    if refusal:
        return Status(401, {"detail": refusal})
    if must_change_password(user):  # a one-time or expired password opens nothing but the change page
        return Status(403, {"detail": _("须先登录网页修改密码（一次性密码或密码已过期），再申请令牌")})
    context.set_user(user)
    raw, token = tokens.issue(user)
    return Status(200, {"token": raw, "expires_at": token.expires_at.isoformat()})


@router.post("auth/revoke", response={204: None, 401: ErrorOut}, tags=["auth"])
def revoke_token(request):
    """Ends the token this request presents; other tokens of the user keep working."""
    tokens.revoke(request.user, request.api_token.pk)
    return Status(204, None)


class OrgFilter(ScopedFilter):
    q: Annotated[str | None, FilterLookup(["name__icontains", "code__icontains"])] = None
    kind: str | None = None
    parent: int | None = None
    include_dissolved: bool = False

    def filter_kind(self, value: str | None) -> Q:
        return Q(kind=value) if value else Q()  # an empty ?kind= is no filter, as on the page

    def filter_parent(self, value: int | None) -> Q:
        if not value:
            return Q()
        parent = visible_org(self._request, self._perm, value)
        return children_q(parent)

    def filter_include_dissolved(self, value: bool) -> Q:
        return Q() if value else active_q()


def _org_out(org: Organization) -> dict:
    return {
        **{f: getattr(org, f) for f in ("id", "code", "name", "short_name", "kind", "joint", "path", "depth")},
        "founded_on": org.founded_on,
        "dissolved_on": org.dissolved_on,
        "parent_id": None,
    }


@router.get("organizations", response=list[OrganizationOut], tags=["organizations"])
@paginate(BoundedLimitOffsetPagination)
def list_organizations(request, filters: OrgFilter = Query(...)):
    _need(request, "orgs.view")
    return filters.apply(Organization.objects.visible_to(request.user).order_by("path"), request, "orgs.view")


@router.get("organizations/{int:org_id}", response=OrganizationOut, tags=["organizations"])
def get_organization(request, org_id: int):
    _need(request, "orgs.view")
    return _org_detail(get_visible(Organization.objects.all(), request.user, "orgs.view", pk=org_id))


def _org_detail(org: Organization) -> dict:
    out = _org_out(org)
    parent = Organization.objects.get_parent(org)
    out["parent_id"] = parent.pk if parent else None
    return out


@router.post("organizations", response={201: OrganizationOut, 422: ErrorOut}, tags=["organizations"])
def create_organization(request, body: OrganizationIn):
    _need(request, "orgs.change")
    get_visible(Organization.objects.all(), request.user, "orgs.change", pk=body.parent_id)
    data = body.dict(exclude={"parent_id"})
    org = org_services.create_organization(request.user, body.parent_id, data)
    return Status(201, _org_detail(Organization.objects.get(pk=org.pk)))


@router.patch("organizations/{int:org_id}", response={200: OrganizationOut, 422: ErrorOut}, tags=["organizations"])
def update_organization(request, org_id: int, body: OrganizationPatch):
    _need(request, "orgs.change")
    get_visible(Organization.objects.all(), request.user, "orgs.change", pk=org_id)
    data = _patch_data(body, nullable={"founded_on"})
    org = org_services.update_organization(request.user, org_id, data)
    return Status(200, _org_detail(org))


@router.post(
    "organizations/{int:org_id}/dissolve", response={200: OrganizationOut, 422: ErrorOut}, tags=["organizations"]
)
def dissolve_organization(request, org_id: int, body: DissolveIn):
    _need(request, "orgs.change")
    get_visible(Organization.objects.all(), request.user, "orgs.change", pk=org_id)
    org = org_services.dissolve_organization(request.user, org_id, body.on, body.reason)
    return Status(200, _org_detail(org))


class PersonFilter(Schema):
    q: str | None = None
    org: int | None = None
    status: str | None = None
    department: int | None = None
    employment: str | None = None
    age: str | None = None
    sort: str | None = None


@router.get("persons", response={200: list[PersonListOut], 422: ErrorOut}, tags=["persons"])
@paginate(BoundedLimitOffsetPagination)
def list_persons(request, filters: PersonFilter = Query(...)):
    _need(request, "people.view")
    base = Person.objects.visible_to(request.user).order_by("sort_key", "name", "id")
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    fs = PersonFilterSet(params, queryset=base, user=request.user)
    if not fs.is_valid():
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in fs.errors.items()))
    return fs.qs


def _masked(person: Person) -> dict:
    data = {f: getattr(person, f) for f in PersonOut.model_fields}
    data["id_number"] = person.masked_id_number
    data["phone"] = person.masked_phone if person.phone else ""
    return data


@router.get("persons/{int:person_id}", response=PersonOut, tags=["persons"])
def get_person(request, person_id: int):
    _need(request, "people.view")
    person = get_visible(Person.objects.all(), request.user, "people.view", pk=person_id)
    if Person.objects.visible_to(request.user, "people.view_sensitive").filter(pk=person.pk).exists():
        from dangjian.audit.services import record

        record("view_sensitive", person, detail={"fields": ["id_number", "phone"], "channel": "api"})
        return {f: getattr(person, f) for f in PersonOut.model_fields}
    return _masked(person)


@router.post("persons", response={201: PersonOut, 422: ErrorOut}, tags=["persons"])
def create_person(request, body: PersonIn):
    _need(request, "people.change")
    data = body.dict()
    data["sex"] = data.get("sex") or ""
    taken = id_number_taken(request.user, data["id_number"] or "")
    if taken:
        return Status(422, {"detail": [{"field": "id_number", "message": taken}]})
    if data.get("political_status") in ("member", "probationary"):
        message = "党员请通过花名册导入或组织关系接收登记"
        return Status(422, {"detail": [{"field": "political_status", "message": message}]})
    person = people_services.create_person(request.user, data)
    return Status(201, {f: getattr(person, f) for f in PersonOut.model_fields})


@router.patch("persons/{int:person_id}", response={200: PersonOut, 422: ErrorOut}, tags=["persons"])
def update_person(request, person_id: int, body: PersonPatch):
    _need(request, "people.change")
    get_visible(Person.objects.all(), request.user, "people.change", pk=person_id)
    data = _patch_data(body, nullable={"department_id", "hire_date"})
    person = people_services.update_person(request.user, person_id, data)
    return Status(200, {f: getattr(person, f) for f in PersonOut.model_fields})


class MembershipFilter(ScopedFilter):
    organization: int | None = None
    person: Annotated[int | None, FilterLookup("person_id")] = None
    current: bool = True

    def filter_organization(self, value: int | None) -> Q:
        return self.in_scope_subtree("organization", value)

    def filter_current(self, value: bool) -> Q:
        return current_q() if value else Q()


@router.get("memberships", response=list[MembershipOut], tags=["memberships"])
@paginate(BoundedLimitOffsetPagination)
def list_memberships(request, filters: MembershipFilter = Query(...)):
    _need(request, "people.view")
    return filters.apply(Membership.objects.visible_to(request.user).order_by("id"), request, "orgs.view")


@router.get("memberships/{int:membership_id}", response=MembershipOut, tags=["memberships"])
def get_membership(request, membership_id: int):
    _need(request, "people.view")
    return get_visible(Membership.objects.all(), request.user, "people.view", pk=membership_id)


@router.post("persons/{int:person_id}/move", response={201: MembershipOut, 422: ErrorOut}, tags=["memberships"])
def move_membership(request, person_id: int, body: MoveIn):
    _need(request, "people.change")
    get_visible(Person.objects.all(), request.user, "people.change", pk=person_id)
    m = people_services.move_membership(
        request.user, person_id, body.to_branch_id, on=body.on, group_id=body.group_id, reason=body.reason
    )
    return Status(201, m)
