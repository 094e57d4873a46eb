"""Role assignments for provisioning scripts: the security administrator's grant and revoke, by API.

The same service functions as the pages, so the same 三权分立 rules (accounts.separation): a grant
answers 201, one the separation of powers refuses 403 with the reason, invalid input 422; DELETE
revokes (the row stays, with ``revoked_at``) and answers 204. Only holders of
``accounts.assign_roles`` see these endpoints at all (others get 404, as for any permission).
"""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts import services
from dangjian.accounts.models import RoleAssignment, User
from dangjian.accounts.roles import Role
from dangjian.accounts.scope import has_perm
from dangjian.accounts.separation import Refused
from dangjian.orgs.models import Organization

from .pagination import BoundedLimitOffsetPagination
from .schemas import ErrorOut

router = Router(tags=["role-assignments"])

PERM = "accounts.assign_roles"


class RoleAssignmentIn(Schema):
    user: str
    role: str
    organization: int | None = None
    subtree: bool = True


class RoleAssignmentOut(Schema):
    id: int
    user: str
    role: str
    role_label: str
    organization: int | None
    organization_name: str | None
    subtree: bool
    granted_at: datetime
    granted_by: str | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_user(a: RoleAssignment) -> str:
        return a.user.username

    @staticmethod
    def resolve_role_label(a: RoleAssignment) -> str:
        return str(a.get_role_display())

    @staticmethod
    def resolve_organization(a: RoleAssignment) -> int | None:
        return a.organization_id

    @staticmethod
    def resolve_organization_name(a: RoleAssignment) -> str | None:
        return a.organization.name if a.organization_id else None

    @staticmethod
    def resolve_granted_by(a: RoleAssignment) -> str | None:
        return a.granted_by.username if a.granted_by_id else None


class AssignmentFilter(FilterSchema):
    user: str | None = None
    role: str | None = None
    include_revoked: bool = False

    def filter_user(self, value: str | None) -> Q:
        return Q(user__username=value) if value else Q()  # an empty ?user= is no filter

    def filter_role(self, value: str | None) -> Q:
        return Q(role=value) if value else Q()

    def filter_include_revoked(self, value: bool) -> Q:
        return Q() if value else Q(revoked_at__isnull=True)


def _need(request) -> None:
    if not has_perm(request.user, PERM):
        raise Http404


def _queryset():
    return RoleAssignment.objects.select_related("user", "organization", "granted_by")


@router.get("role-assignments", response=list[RoleAssignmentOut])
@paginate(BoundedLimitOffsetPagination)
def list_assignments(request, filters: Query[AssignmentFilter]):
    _need(request)
    return filters.filter(_queryset().order_by("user__username", "role", "id"))


@router.post("role-assignments", response={201: RoleAssignmentOut, 403: ErrorOut, 422: ErrorOut})
def grant(request, body: RoleAssignmentIn):
    _need(request)
    errors = {}
    user = User.objects.filter(username=body.user).first()
    if user is None:
        errors["user"] = _("没有该用户名的账号")
    if body.role not in Role.values:
        errors["role"] = _("没有该角色：可用的角色代码为 %(codes)s") % {"codes": "、".join(Role.values)}
    organization = None
    if body.organization is not None:
        organization = Organization.objects.filter(pk=body.organization).first()
        if organization is None:
            errors["organization"] = _("没有该党组织")
    if errors:
        raise ValidationError(errors)
    data = {"user": user, "role": body.role, "organization": organization, "subtree": body.subtree}
    try:
        assignment = services.grant(request.user, data)
    except Refused as exc:
        return Status(403, {"detail": exc.message})
    return Status(201, _queryset().get(pk=assignment.pk))


@router.delete("role-assignments/{int:assignment_id}", response={204: None, 403: ErrorOut})
def revoke(request, assignment_id: int):
    _need(request)
    if not RoleAssignment.objects.active().filter(pk=assignment_id).exists():
        raise Http404
    try:
        services.revoke(request.user, assignment_id)
    except Refused as exc:
        return Status(403, {"detail": exc.message})
    return Status(204, None)
