"""What every domain router shares with the core endpoints: the permission gate, pagination, the error shape
and the organisation filter. Domain apps import these so that their endpoints answer exactly as the core ones:
no permission or out of scope is 404, invalid input 422 with the field."""

from django.db.models import QuerySet
from django.http import Http404

from dangjian.accounts.scope import has_perm
from dangjian.core.scoping import get_visible
from dangjian.orgs.models import Organization

from .pagination import BoundedLimitOffsetPagination
from .schemas import ErrorOut

__all__ = ["BoundedLimitOffsetPagination", "ErrorOut", "need", "in_subtree", "visible_org"]


def need(request, perm: str) -> None:
    """A user without the permission gets the same 404 as for an object outside the scope."""
    if not has_perm(request.user, perm):
        raise Http404


def visible_org(request, perm: str, org_id: int) -> Organization:
    return get_visible(Organization.objects.all(), request.user, perm, pk=org_id)


def in_subtree(qs: QuerySet, field: str, request, perm: str, org_id: int | None) -> QuerySet:
    """Rows whose ``field`` organisation lies in the subtree of ``org_id``; that organisation must be in scope."""
    if not org_id:
        return qs
    org = visible_org(request, perm, org_id)
    return qs.filter(**{f"{field}__in": Organization.objects.subtree(org.path).values("pk")})
