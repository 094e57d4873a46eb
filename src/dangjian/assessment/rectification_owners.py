"""The 责任人 of a 三张清单 item (责任清单): a person of the unit that rectifies — a current member of it or of an
organisation below it (a 党总支's members are on its branches' rolls). The form's select offers exactly these, and
the services check the choice again, so a forged id names nobody outside the unit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dangjian.orgs.models import Organization
from dangjian.people.models import Membership, Person


def unit_members(org: Organization) -> QuerySet[Person]:
    """The unit's people, by name: one query, whatever their number."""
    rows = Membership.objects.current().filter(organization__path__startswith=org.path).values("person_id")
    return Person.objects.filter(pk__in=rows).order_by("name", "pk")


def check_owner(org: Organization, owner_id: int | None) -> None:
    if owner_id is not None and not unit_members(org).filter(pk=owner_id).exists():
        raise ValidationError({"owner": _("责任人须为整改单位的党员")})
