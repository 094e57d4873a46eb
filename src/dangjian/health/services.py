"""Writing consent and reading a person's health record, one function per user intention.

Each write runs in one transaction, re-reads the person inside the health officer's scope ("health.values") and
writes an audit event. Audit events never contain checkup values (the audit log is read by the security auditor,
who may not see them, PIPL art. 28); reading a record is itself an audit event ("view_sensitive").
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, record_many, snapshot
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Department, Organization
from dangjian.people.models import Membership, Person

from .locks import YearBusy, lock_year
from .models import Checkup, ColumnMapping, Consent

VALUES = "health.values"
MIN_YEAR = 2000
WITHDRAW_WAIT_SECONDS = 30  # a withdrawal waits this long for a run of the same year to finish


def check_year(year: int, today: date) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("请填写年度")}) from None
    if not MIN_YEAR <= year <= today.year + 1:
        raise ValidationError(
            {"year": _("年度应在%(first)s至%(last)s之间") % {"first": MIN_YEAR, "last": today.year + 1}}
        )
    return year


def _check_day(on: date, today: date, label: str = "on") -> None:
    if not isinstance(on, date):
        raise ValidationError({label: _("请填写日期")})
    if on > today:
        raise ValidationError({label: _("日期不能晚于今天")})


def _give(consent: Consent | None, person: Person, year: int, on: date, user) -> tuple[Consent, str] | None:
    """The consent row after giving; None when it is already active (nothing to do)."""
    if consent is None:
        return Consent(person=person, year=year, given_on=on, given_recorded_by=user), "create"
    if consent.is_active:
        return None
    consent.given_on, consent.given_recorded_by = on, user
    consent.withdrawn_on, consent.withdrawn_recorded_by = None, None
    return consent, "update"


def give_consent(user, person_id: int, year: int, on: date) -> Consent:
    today = timezone.localdate()
    year = check_year(year, today)
    _check_day(on, today)
    with transaction.atomic():
        person = recheck(Person.objects.all(), user, VALUES, person_id)
        consent = Consent.objects.select_for_update().filter(person=person, year=year).first()
        before = snapshot(consent) if consent else None
        result = _give(consent, person, year, on, user)
        if result is None:
            raise ValidationError(_("%(name)s已同意%(year)s年度健康筛查") % {"name": person.name, "year": year})
        consent, action = result
        consent.save()
        record(action, consent, before=before, after=snapshot(consent), object_repr=f"{person.name} {year}年度同意")
    return consent


def withdraw_consent(user, person_id: int, year: int, on: date) -> Consent:
    """Withdrawal removes the person from every later screening run of that year (PIPL art. 15)."""
    today = timezone.localdate()
    year = check_year(year, today)
    _check_day(on, today)
    with transaction.atomic():
        person = recheck(Person.objects.all(), user, VALUES, person_id)
        consent = Consent.objects.select_for_update().filter(person=person, year=year).first()
        if consent is None or not consent.is_active:
            raise ValidationError(
                _("%(name)s没有%(year)s年度有效的同意记录，无需撤回") % {"name": person.name, "year": year}
            )
        if on < consent.given_on:
            raise ValidationError(
                {"on": _("撤回日期不能早于同意日期（%(date)s）") % {"date": f"{consent.given_on:%Y-%m-%d}"}}
            )
        try:
            lock_year(year, wait_seconds=WITHDRAW_WAIT_SECONDS)
        except YearBusy:
            raise ValidationError(_("%(year)s年度健康筛查正在进行，请稍后再撤回") % {"year": year}) from None
        before = snapshot(consent)
        consent.withdrawn_on, consent.withdrawn_recorded_by = on, user
        consent.save()
        record(
            "update", consent, before=before, after=snapshot(consent), object_repr=f"{person.name} {year}年度撤回同意"
        )
        _stop_processing(user, person, year)
    return consent


def _stop_processing(user, person: Person, year: int) -> None:
    """After a withdrawal the year's result goes (it is derived from the checkup, and a run would not recreate it)
    and an open follow-up is closed (PIPL art. 15, 47); the checkup and the follow-up records stay, unread by runs."""
    from .models import FollowUp, FollowUpStatus, ScreeningResult

    removed, _ = ScreeningResult.objects.filter(person=person, year=year).delete()
    if removed:
        record(
            "delete",
            object_type_label="health.screeningresult",
            detail={"person_id": person.pk, "year": year, "reason": "consent_withdrawn"},
            object_repr=f"{person.name} {year}年度筛查结果",
        )
    fu = FollowUp.objects.select_for_update().filter(person=person, year=year, status=FollowUpStatus.OPEN).first()
    if fu is not None:
        before = snapshot(fu)
        fu.status, fu.closed_on = FollowUpStatus.CLOSED, timezone.localdate()
        fu.save()
        record(
            "update", fu, before=before, after=snapshot(fu), object_repr=f"{person.name} {year}年度健康随访（撤回同意）"
        )


UNIT_KINDS = ("committee", "general_branch", "branch")  # the party organisations a health figure is grouped by


def units_in_scope(user, perm: str = VALUES):
    """The party organisations (not groups) and departments in the user's scope, as filters and tables list them."""
    orgs = Organization.objects.visible_to(user, perm).filter(kind__in=UNIT_KINDS).order_by("path")
    return orgs, Department.objects.visible_to(user, perm).order_by("path")


def people_of_unit(user, *, organization: Organization | None = None, department: Department | None = None):
    """People in the health officer's scope who belong to a party organisation's subtree or a department's."""
    return in_unit(Person.objects.visible_to(user, VALUES), organization=organization, department=department)


def in_unit(people, *, organization: Organization | None = None, department: Department | None = None):
    if organization is not None:
        members = Membership.objects.current().filter(organization__in=Organization.objects.subtree(organization))
        people = people.filter(pk__in=members.values("person_id"))
    if department is not None:
        people = people.filter(department__in=Department.objects.subtree(department))
    return people


def give_consent_bulk(user, person_ids: list[int], year: int, on: date) -> tuple[int, int]:
    """Record consent for many people at once; returns (recorded, already active). Out-of-scope ids are ignored."""
    today = timezone.localdate()
    year = check_year(year, today)
    _check_day(on, today)
    with transaction.atomic():
        people = list(Person.objects.visible_to(user, VALUES).filter(pk__in=person_ids).select_for_update())
        existing = {c.person_id: c for c in Consent.objects.select_for_update().filter(person__in=people, year=year)}
        created: list[Consent] = []
        updated: list[Consent] = []
        entries = []
        for person in people:
            consent = existing.get(person.pk)
            before = snapshot(consent) if consent else None
            result = _give(consent, person, year, on, user)
            if result is None:
                continue
            consent, action = result
            (created if action == "create" else updated).append(consent)
            entries.append((action, consent, before, person))
        Consent.objects.bulk_create(created, batch_size=1000)
        Consent.objects.bulk_update(
            updated, ["given_on", "given_recorded_by", "withdrawn_on", "withdrawn_recorded_by"], batch_size=1000
        )
        record_many(
            [
                {"action": a, "obj": c, "before": b, "after": snapshot(c), "object_repr": f"{p.name} {year}年度同意"}
                for a, c, b, p in entries
            ]
        )
    return len(entries), len(people) - len(entries)


def view_record(user, person: Person) -> list[tuple[Checkup, dict]]:
    """A person's checkups with decrypted values, newest first; the read is logged (PIPL art. 28, 55)."""
    checkups = list(Checkup.objects.filter(person=person).order_by("-year"))
    rows = [(c, c.values()) for c in checkups]
    record(
        "view_sensitive",
        person,
        detail={"what": "health_record", "years": [c.year for c in checkups]},
        object_repr=f"{person.name} 健康档案",
    )
    return rows


def save_mapping(user, form) -> ColumnMapping:
    """Create or edit a column mapping (no personal data, shared by health officers); audited."""
    with transaction.atomic():
        mapping = form.instance
        before = snapshot(ColumnMapping.objects.select_for_update().get(pk=mapping.pk)) if mapping.pk else None
        if not mapping.pk:
            mapping.created_by = user
        mapping = form.save()
        record("update" if before else "create", mapping, before=before, after=snapshot(mapping))
    return mapping
