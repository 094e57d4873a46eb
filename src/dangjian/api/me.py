"""``GET /api/v1/me``: who the token's holder is and what waits for them, as their home page shows it.

Any valid token may call it: it reads nothing beyond the holder's own person, roles and home items, and the items
come from ``core.views.home_content``, the function the home page itself renders, so the phone and the page agree.
"""

# No "from __future__ import annotations": django-ninja resolves these annotations when it builds the schema.
from datetime import date

from django.utils import timezone
from ninja import Router, Schema

from dangjian.accounts.roles import Role
from dangjian.accounts.scope import assignments_of
from dangjian.core.contributions import HomeItem
from dangjian.core.views import home_content
from dangjian.people.models import Membership, Person

router = Router(tags=["me"])


class MePerson(Schema):
    id: int
    name: str
    organization: str | None  # the branch of the current membership; None for a non-member
    organization_id: int | None
    status: str  # political status code (member, probationary, league, masses, democratic)
    status_label: str
    employee_no: str


class MeRole(Schema):
    role: str
    label: str
    organization: str | None  # None: a role not limited to an organisation (or the self-scoped member role)
    organization_id: int | None


class MeItem(Schema):
    level: str
    kind: str
    text: str
    link: str
    due: date | None
    count: int


class MeOut(Schema):
    person: MePerson | None
    roles: list[MeRole]
    items: list[MeItem]


def _person(user) -> dict | None:
    if not user.person_id:
        return None
    person = Person.objects.filter(pk=user.person_id).first()  # a deleted person is no longer theirs to show
    if person is None:
        return None
    current = Membership.objects.current().filter(person=person).select_related("organization").first()
    return {
        "id": person.pk,
        "name": person.name,
        "organization": current.organization.name if current else None,
        "organization_id": current.organization_id if current else None,
        "status": person.political_status,
        "status_label": str(person.get_political_status_display()),
        "employee_no": person.employee_no,
    }


def item_out(item: HomeItem) -> dict:
    return {
        "level": item.level,
        "kind": str(item.kind),
        "text": str(item.text),
        "link": item.link,
        "due": item.due,
        "count": item.count,
    }


@router.get("me", response=MeOut)
def me(request):
    user = request.user
    roles = [
        {
            "role": a.role,
            "label": str(Role(a.role).label),
            "organization": a.organization.name if a.organization_id else None,
            "organization_id": a.organization_id,
        }
        for a in sorted(assignments_of(user), key=lambda a: (a.role, a.organization_id or 0))
    ]
    _cards, items = home_content(user, timezone.localdate())
    return {"person": _person(user), "roles": roles, "items": [item_out(i) for i in items]}
