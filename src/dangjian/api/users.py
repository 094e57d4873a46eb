"""Accounts for provisioning scripts: the system administrator's list, create and person link, by API.

The same services as the account pages, so the same rules: one person has at most one account, an
administrator's account is never linked (三权分立: 403 with the reason), invalid input 422 with the field. Only
holders of ``accounts.manage`` see these endpoints at all (others get 404, as for any permission). An account is
never deleted: the pages deactivate it.
"""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts import departures, services
from dangjian.accounts.forms import UserCreateForm
from dangjian.accounts.models import User
from dangjian.accounts.scope import has_perm
from dangjian.accounts.separation import Refused
from dangjian.people.models import Person

from .pagination import BoundedLimitOffsetPagination
from .schemas import ErrorOut

router = Router(tags=["users"])

PERM = "accounts.manage"


class UserIn(Schema):
    username: str
    password: str
    first_name: str = ""
    person_id: int | None = None


class UserPatch(Schema):
    """Only the person link is changed here: ``person_id`` null unlinks."""

    person_id: int | None


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    is_active: bool
    must_change_password: bool
    person_id: int | None
    person_name: str | None
    last_login: datetime | None

    @staticmethod
    def resolve_person_name(user: User) -> str | None:
        return user.person.name if user.person_id else None


class UserFilter(FilterSchema):
    q: str | None = None
    link: str | None = None
    is_active: bool | None = None

    def filter_q(self, value: str | None) -> Q:
        if not value:
            return Q()
        return Q(username__icontains=value) | Q(first_name__icontains=value) | Q(person__name__contains=value)

    def filter_link(self, value: str | None) -> Q:
        if not value:
            return Q()
        if value == "none":
            return departures.unlinked_q()
        if value == "left":
            return departures.left_q()
        raise ValidationError({"link": _("无效的取值，可用：none、left")})


def _need(request) -> None:
    if not has_perm(request.user, PERM):
        raise Http404


def _person(person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"person_id": _("没有该人员")})
    return person


def _api_fields(exc: ValidationError) -> ValidationError:
    """The services name the link ``person``; the API calls it ``person_id``."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({("person_id" if k == "person" else k): v for k, v in exc.error_dict.items()})


def _queryset():
    return User.objects.select_related("person")


@router.get("users", response=list[UserOut])
@paginate(BoundedLimitOffsetPagination)
def list_users(request, filters: Query[UserFilter]):
    _need(request)
    return filters.filter(_queryset().order_by("username"))


@router.get("users/{int:user_id}", response=UserOut)
def get_user(request, user_id: int):
    _need(request)
    user = _queryset().filter(pk=user_id).first()
    if user is None:
        raise Http404
    return user


@router.post("users", response={201: UserOut, 403: ErrorOut, 422: ErrorOut})
def create_user(request, body: UserIn):
    """The account's first password is the administrator's: the holder must change it at the first login."""
    _need(request)
    person = _person(body.person_id)
    form = UserCreateForm(
        {"username": body.username, "password": body.password, "first_name": body.first_name},
        people=Person.objects.none(),
    )
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    data = {**form.cleaned_data, "person": person}
    if person is not None and not data["first_name"]:
        data["first_name"] = person.name
    try:
        user = services.create_user(request.user, **data)
    except Refused as exc:
        return Status(403, {"detail": exc.message})
    except ValidationError as exc:
        raise _api_fields(exc) from None
    return Status(201, _queryset().get(pk=user.pk))


@router.patch("users/{int:user_id}", response={200: UserOut, 403: ErrorOut, 422: ErrorOut})
def link_person(request, user_id: int, body: UserPatch):
    _need(request)
    if not User.objects.filter(pk=user_id).exists():
        raise Http404
    try:
        services.link_person(request.user, user_id, _person(body.person_id))
    except Refused as exc:
        return Status(403, {"detail": exc.message})
    except ValidationError as exc:
        raise _api_fields(exc) from None
    return Status(200, _queryset().get(pk=user_id))
