"""What every domain router shares with the core endpoints: the permission gate, pagination, the error shape
and the filters. Domain apps import these so that their endpoints answer exactly as the core ones: no permission
or out of scope is 404, invalid input 422 with the field."""

from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404
from ninja import FilterSchema
from pydantic import PrivateAttr

from dangjian.accounts.scope import has_perm
from dangjian.core.scoping import get_visible
from dangjian.orgs.models import Organization

from .pagination import BoundedLimitOffsetPagination
from .schemas import ErrorOut

__all__ = ["BoundedLimitOffsetPagination", "ErrorOut", "ScopedFilter", "need", "in_subtree", "visible_org"]

QS = TypeVar("QS", bound=QuerySet)


def need(request, perm: str) -> None:
    """A user without the permission gets the same 404 as for an object outside the scope."""
    if not has_perm(request.user, perm):
        raise Http404


def visible_org(request, perm: str, org_id: int) -> Organization:
    return get_visible(Organization.objects.all(), request.user, perm, pk=org_id)


def in_subtree(qs: QuerySet, field: str, request, perm: str, org_id: int | None) -> QuerySet:
    """Rows whose ``field`` organisation lies in the subtree of ``org_id``; that organisation must be in scope."""
    return qs.filter(subtree_q(request, perm, field, org_id)) if org_id else qs


def scoped_subtree(request, perm: str, org_id: int) -> QuerySet:
    """The ids of ``org_id``'s subtree; that organisation must be in the scope (else 404)."""
    return Organization.objects.subtree(visible_org(request, perm, org_id).path).values("pk")


def subtree_q(request, perm: str, field: str, org_id: int | None) -> Q:
    """``in_subtree`` as a condition, for a filter that combines it with others."""
    return Q(**{f"{field}__in": scoped_subtree(request, perm, org_id)}) if org_id else Q()


class ScopedFilter(FilterSchema):
    """A list's query parameters as django-ninja's ``FilterSchema``: a plain field filters on its name (or on its
    ``FilterLookup``), a ``filter_<name>`` method builds the condition of a field that needs more. Some conditions
    depend on who asks (an organisation must be in the user's scope, else 404; "mine"), so the endpoint applies
    the filter with ``apply(qs, request, perm)``, which gives those methods the request and the permission."""

    _request: Any = PrivateAttr(None)
    _perm: str = PrivateAttr("")

    def apply(self, queryset: QS, request, perm: str) -> QS:
        self._request, self._perm = request, perm
        return self.filter(queryset)

    def in_scope_subtree(self, field: str, org_id: int | None) -> Q:
        """Rows whose ``field`` organisation lies in the subtree of ``org_id``, an organisation in the scope."""
        return subtree_q(self._request, self._perm, field, org_id)

    def scoped_subtree(self, org_id: int) -> QuerySet:
        return scoped_subtree(self._request, self._perm, org_id)
