"""Members arriving from outside the tree with a letter (介绍信) from their old organisation.

Registering keeps the particulars on the transfer; the person (if new) and the membership are created only when
the receiving branch accepts, so a refused letter leaves no stray person behind.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Department, Organization
from dangjian.people import services as people_services
from dangjian.people.idcard import IdNumberError, parse_id_number
from dangjian.people.models import Membership, MembershipStatus, Person, PoliticalStatus, StartCause

from .models import Direction, Transfer, TransferEvent, TransferStatus
from .models.transfer import OPEN_STATUSES
from .rules import letter_valid_until
from .services import CHANGE


def _text(data: dict, key: str, label: str, max_length: int) -> str:
    value = (data.get(key) or "").strip()
    if not value:
        raise ValidationError({key: _("请填写%(label)s") % {"label": label}})
    return value[:max_length]


def register_incoming(user, data: dict) -> Transfer:
    """Register a letter received from an outside organisation; it waits for the receiving branch to accept."""
    today = timezone.localdate()
    name = _text(data, "name", _("姓名"), 50)
    from_name = _text(data, "from_name", _("转出党组织名称"), 100)
    try:
        parsed = parse_id_number(data.get("id_number") or "")
    except IdNumberError as exc:
        raise ValidationError({"id_number": str(exc)}) from None
    status = data.get("member_status")
    if status not in MembershipStatus.values:
        raise ValidationError({"member_status": _("请选择党员类别")})
    admitted_on, converted_on = data.get("admitted_on"), data.get("converted_on")
    if not isinstance(admitted_on, date):
        raise ValidationError({"admitted_on": _("请填写入党日期（介绍信上载明）")})
    if admitted_on > today or admitted_on < parsed.birth_date:
        raise ValidationError({"admitted_on": _("入党日期不能晚于今天，也不能早于出生日期")})
    if status == MembershipStatus.PROBATIONARY and converted_on:
        raise ValidationError({"converted_on": _("预备党员没有转正日期")})
    if converted_on and not (admitted_on < converted_on <= today):
        raise ValidationError({"converted_on": _("转正日期应晚于入党日期，且不能晚于今天")})
    sent_on = data.get("sent_on")
    if not isinstance(sent_on, date) or sent_on > today:
        raise ValidationError({"sent_on": _("请填写介绍信开具日期（不能晚于今天）")})
    valid_until = data.get("valid_until") or letter_valid_until(sent_on)
    if valid_until < sent_on:
        raise ValidationError({"valid_until": _("有效期不能早于开具日期")})
    with transaction.atomic():
        to_org = recheck(Organization.objects.filter(kind="branch"), user, CHANGE, data.get("to_org_id"))
        department = None
        if data.get("department_id"):
            department = Department.objects.visible_to(user, CHANGE).filter(pk=data["department_id"]).first()
            if department is None:
                raise ValidationError({"department": _("部门不存在或不在您的管理范围内")})
        existing = Person.all_objects.filter(id_number=parsed.number).first()
        if existing is not None and existing.deleted_at is not None:
            raise ValidationError({"id_number": _("该公民身份号码对应的人员已被删除，请先由管理员恢复该人员")})
        if existing is not None:
            current = Membership.objects.current().filter(person=existing).select_related("organization").first()
            if current is not None:
                # no branch name: the person may be outside the user's scope
                raise ValidationError({"id_number": _("该党员已在本系统，请联系其所在党组织办理系统内转接")})
        open_same = Transfer.objects.filter(id_number=parsed.number, status__in=OPEN_STATUSES)
        if open_same.exists():
            raise ValidationError({"id_number": _("该公民身份号码已有进行中的转接登记")})
        t = Transfer.objects.create(
            direction=Direction.IN,
            status=TransferStatus.SENT,
            name=name,
            sex=parsed.sex,
            id_number=parsed.number,
            birth_date=parsed.birth_date,
            ethnicity=(data.get("ethnicity") or "汉族").strip()[:20],
            member_status=status,
            admitted_on=data.get("admitted_on"),
            converted_on=data.get("converted_on"),
            from_name=from_name,
            to_org=to_org,
            to_name=to_org.name,
            department=department,
            reason=(data.get("reason") or "从系统外转入").strip()[:200],
            requested_on=sent_on,
            letter_ref=(data.get("letter_ref") or "").strip()[:50],
            sent_on=sent_on,
            valid_until=valid_until,
            dues_paid_to=data.get("dues_paid_to"),
            created_by=user,
        )
        note = f"登记来函介绍信 {t.letter_ref or '（无编号）'}，有效期至 {valid_until:%Y-%m-%d}"
        TransferEvent.objects.create(transfer=t, to_status=TransferStatus.SENT, on=sent_on, note=note, by=user)
        record("create", t, after=snapshot(t))
    return t


def take_in(user, t: Transfer, on: date) -> Membership:
    """On acceptance: find or create the person, then start the membership in the receiving branch."""
    person = Person.all_objects.filter(id_number=t.id_number).first()
    if person is not None and person.deleted_at is not None:
        raise ValidationError(_("该公民身份号码对应的人员已被删除，请先由管理员恢复该人员"))
    political = PoliticalStatus.MEMBER if t.member_status == MembershipStatus.FULL else PoliticalStatus.PROBATIONARY
    if person is None:
        person = people_services.create_person(
            user,
            {
                "name": t.name,
                "sex": t.sex,
                "id_number": t.id_number,
                "birth_date": t.birth_date,
                "ethnicity": t.ethnicity or "汉族",
                "department": t.department,
                "political_status": political,
            },
        )
    # a former employee or someone of another department: the accepted transfer is the authority (条例 第25条)
    membership = people_services.admit_membership(
        person,
        t.to_org,
        {
            "status": t.member_status,
            "admitted_on": t.admitted_on,
            "converted_on": t.converted_on,
            "started_on": on,
            "start_cause": StartCause.TRANSFERRED_IN,
        },
    )
    t.person = person
    return membership
