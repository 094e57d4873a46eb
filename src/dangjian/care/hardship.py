"""The hardship register: register a person in difficulty, record support given, yearly totals, withdraw an entry
recorded by mistake."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck

from .models import HardshipEntry, Support, SupportKind
from .services import CHANGE, person_in_scope


def register(user, person_id: int, registered_on: date, reason: str) -> HardshipEntry:
    with transaction.atomic():
        person = person_in_scope(user, person_id)
        if registered_on > timezone.localdate():
            raise ValidationError({"registered_on": _("登记日期不能晚于今天")})
        if not (reason or "").strip():
            raise ValidationError({"reason": _("请填写困难情况")})
        if HardshipEntry.objects.filter(person=person, closed_on__isnull=True).exists():
            raise ValidationError({"person": _("%(name)s已在困难帮扶台账中") % {"name": person.name}})
        entry = HardshipEntry.objects.create(
            person=person, registered_on=registered_on, reason=reason.strip(), recorded_by=user
        )
        record("create", entry, after=snapshot(entry))
    return entry


def add_support(user, entry_id: int, data: dict) -> Support:
    with transaction.atomic():
        entry = recheck(HardshipEntry.objects.all(), user, CHANGE, entry_id)
        given_on, amount = data.get("given_on"), data.get("amount") or Decimal("0")
        if not isinstance(given_on, date):
            raise ValidationError({"given_on": _("请填写帮扶日期")})
        if given_on > timezone.localdate():
            raise ValidationError({"given_on": _("帮扶日期不能晚于今天")})
        if given_on < entry.registered_on:
            raise ValidationError({"given_on": _("帮扶日期不能早于登记日期 %(date)s") % {"date": entry.registered_on}})
        if data.get("kind") not in SupportKind.values:
            raise ValidationError({"kind": _("请选择帮扶方式")})
        if not isinstance(amount, Decimal) or amount < 0:
            raise ValidationError({"amount": _("金额不能为负数")})
        if not (data.get("given_by") or "").strip():
            raise ValidationError({"given_by": _("请填写帮扶人或单位")})
        support = Support.objects.create(
            entry=entry,
            given_on=given_on,
            kind=data["kind"],
            amount=amount,
            given_by=data["given_by"].strip(),
            note=(data.get("note") or "").strip(),
            recorded_by=user,
        )
        record("create", support, after=snapshot(support))
    return support


def yearly_totals(supports) -> list[dict]:
    """Support per year: number of records, people helped and the amount (Decimal). Support of a withdrawn entry
    (误登记) stays in the database but never counts, whatever queryset the caller passes."""
    return list(
        supports.filter(entry__deleted_at__isnull=True)
        .annotate(y=ExtractYear("given_on"))
        .values("y")
        .annotate(n=Count("id"), people=Count("entry__person", distinct=True), amount=Sum("amount"))
        .order_by("-y")
    )


def close_entry(user, entry_id: int, closed_on: date) -> HardshipEntry:
    """The person is out of hardship (脱困): the entry leaves the open register, its support history stays."""
    with transaction.atomic():
        entry = recheck(HardshipEntry.objects.all(), user, CHANGE, entry_id)
        if entry.closed_on is not None:
            raise ValidationError(_("该人员已登记脱困"))
        if not isinstance(closed_on, date) or closed_on > timezone.localdate() or closed_on < entry.registered_on:
            raise ValidationError({"closed_on": _("脱困日期应在登记日期与今天之间")})
        before = snapshot(entry)
        entry.closed_on = closed_on
        entry.save(update_fields=["closed_on", "updated_at"])
        record("update", entry, before=before, after=snapshot(entry))
    return entry


def withdraw_entry(user, entry_id: int, reason: str) -> HardshipEntry:
    """An entry recorded by mistake (误登记): soft-deleted, never erased (nothing is hard-deleted by users); its
    support records are kept but leave the register and the yearly totals with it. The reason lives in the audit
    event, as for a withdrawn care event (``services.withdraw_event``)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因")})
    with transaction.atomic():
        entry = recheck(HardshipEntry.objects.all(), user, CHANGE, entry_id)
        before = snapshot(entry)
        supports = entry.supports.count()
        entry.mark_deleted(user)
        entry.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        record("delete", entry, before=before, detail={"reason": reason, "supports": supports})
    return entry
