"""The write side for persons and memberships: one function per user intention.

Each runs in one transaction, re-checks scope inside it, and writes its audit event.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts import departures
from dangjian.audit.services import record, save_changes, snapshot
from dangjian.core.conflicts import ensure_unchanged
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Organization

from .models import EndCause, Honour, Membership, MembershipStatus, Person, PoliticalStatus, StartCause

MEMBER_STATUSES = {
    PoliticalStatus.MEMBER: MembershipStatus.FULL,
    PoliticalStatus.PROBATIONARY: MembershipStatus.PROBATIONARY,
}


def _visible_branch(user, org_id, perm: str = "people.change") -> Organization:
    qs = Organization.objects.visible_to(user, perm) if user is not None else Organization.objects.all()
    org = qs.filter(pk=org_id, kind="branch").first()
    if org is None:
        raise ValidationError({"organization": _("未找到该党支部，或不在您的管理范围内")})
    return org


def _department_in_scope(user, department_id: int | None) -> bool:
    """A new person must belong to a department that a branch in the user's scope covers."""
    from dangjian.orgs.models import Department

    if department_id is None:
        return True
    return Department.objects.visible_to(user, "people.change").filter(pk=department_id).exists()


def note_number_search(user, value: str, *, complete_only: bool) -> None:
    """A search by ID number or phone is a look-up of sensitive personal information (PIPL art. 28): audit who
    searched and how, with the number masked as in lists (the auditor sees no business data, 三权分立)."""
    from .idcard import mask

    record(
        "view_sensitive",
        None,
        object_type_label="people.person",
        object_repr="按公民身份号码或手机号码检索",
        detail={"fields": ["id_number", "phone"], "search": mask(value), "complete_only": complete_only},
    )


def create_person(user, data: dict) -> Person:
    with transaction.atomic():
        department_id = data.get("department_id") or getattr(data.get("department"), "pk", None)
        if not _department_in_scope(user, department_id):
            raise ValidationError({"department": _("部门不存在或不在您的管理范围内")})
        person = Person(**data)
        person.full_clean()
        person.save()
        record("create", person, after=snapshot(person))
    return person


def update_person(user, person_id: int, data: dict, *, loaded_version: str | None = None) -> Person:
    """``loaded_version``: the fingerprint of ``data``'s fields as the form loaded them; if someone saved a
    change to them since, EditConflict is raised and nothing is written (see core.conflicts)."""
    with transaction.atomic():
        person = recheck(Person.objects.all(), user, "people.change", person_id)
        ensure_unchanged(person, data, loaded_version, data)
        save_changes(person, data)
    return person


def delete_person(user, person_id: int, reason: str) -> Person:
    """Soft delete: the row stays, hidden from lists, with who and when."""
    if not reason.strip():
        raise ValidationError({"reason": _("请填写删除原因")})
    with transaction.atomic():
        person = recheck(Person.objects.all(), user, "people.change", person_id)
        before = snapshot(person)
        person.mark_deleted(user)
        person.save(update_fields=["deleted_at", "deleted_by"])
        for m in Membership.objects.current().filter(person=person):
            m_before = snapshot(m)
            m.ended_on = timezone.localdate()
            m.end_reason = f"人员删除：{reason}"[:100]
            m.end_cause = EndCause.ERROR
            m.save(update_fields=["ended_on", "end_reason", "end_cause", "updated_at"])
            record("update", m, before=m_before, after=snapshot(m))
        record("delete", person, before=before, after=snapshot(person), detail={"reason": reason})
        departures.person_left(person.pk, f"人员删除：{reason}")
    return person


def move_membership(
    user, person_id: int, to_branch_id: int, *, on: date, group_id: int | None = None, reason: str = ""
) -> Membership:
    """Move a member to another branch inside the tree: end one row, start another."""
    with transaction.atomic():
        person = recheck(Person.objects.all(), user, "people.change", person_id)
        branch = _visible_branch(user, to_branch_id)
        return relocate_membership(person, branch, on=on, group_id=group_id, reason=reason)


def relocate_membership(
    person: Person, branch: Organization, *, on: date, group_id: int | None = None, reason: str = ""
) -> Membership:
    """End ``person``'s current membership on ``on`` and start one in ``branch``.

    No scope check here: the caller has made the decision. The people page re-checks the user's scope
    first; an accepted transfer carries its own authority, because the receiving branch must take the
    member in although he is still outside its scope (党员教育管理工作条例 第25条).
    """
    with transaction.atomic():
        current = Membership.objects.current().select_for_update().filter(person=person).first()
        if current is None:
            raise ValidationError(_("该人员没有当前党员组织关系"))
        if current.organization_id == branch.pk:
            raise ValidationError({"organization": _("已在该党支部，无需转接")})
        if on < current.started_on:
            raise ValidationError({"on": _("转接日期不能早于转入当前支部的日期")})
        group = None
        if group_id:
            group = Organization.objects.subtree(branch).filter(pk=group_id, kind="group").first()
            if group is None:
                raise ValidationError({"group": _("党小组不属于目标党支部")})
        _end(current, on, reason or "组织关系转接", EndCause.MOVED)
        new = Membership.objects.create(
            person=person,
            organization=branch,
            group=group,
            status=current.status,
            applied_on=current.applied_on,
            admitted_on=current.admitted_on,
            converted_on=current.converted_on,
            # 留党察看 follows the member to the new branch
            discipline_probation_from=current.discipline_probation_from,
            discipline_probation_until=current.discipline_probation_until,
            started_on=on,
            start_cause=StartCause.MOVED,
        )
        record("create", new, after=snapshot(new), detail={"from": current.organization.name, "to": branch.name})
    return new


def end_membership(person: Person, *, on: date, reason: str, cause: str) -> Membership:
    """End the current membership (transferred out of the tree, removed, died …) for ``cause`` (an ``EndCause``;
    ``reason`` keeps the words). No scope check: see above."""
    if cause not in EndCause.values or cause == EndCause.MOVED:
        raise ValidationError({"cause": _("请选择有效的减少原因")})
    with transaction.atomic():
        current = Membership.objects.current().select_for_update().filter(person=person).first()
        if current is None:
            raise ValidationError(_("该人员没有当前党员组织关系"))
        ended = _end(current, max(on, current.started_on), reason, cause)
        departures.person_left(person.pk, reason)  # a member's account closes the same day
    return ended


def _end(membership: Membership, on: date, reason: str, cause: str) -> Membership:
    before = snapshot(membership)
    membership.ended_on = on
    membership.end_reason = reason[:100]
    membership.end_cause = cause
    membership.save(update_fields=["ended_on", "end_reason", "end_cause", "updated_at"])
    record("update", membership, before=before, after=snapshot(membership))
    return membership


def start_membership(user, person_id: int, branch_id: int, data: dict) -> Membership:
    """Start a membership entered by hand: its ``start_cause`` is ``data``'s, else 初始录入 (recorded)."""
    with transaction.atomic():
        person = recheck(Person.objects.all(), user, "people.change", person_id)
        branch = _visible_branch(user, branch_id)
        return admit_membership(person, branch, data)


def admit_membership(person: Person, branch: Organization, data: dict) -> Membership:
    """Start a membership in ``branch`` and set the person's political status. No scope check: see above.

    ``data`` names its ``start_cause`` (admitted, transferred in …); without one it is 初始录入 (recorded)."""
    data = {"start_cause": StartCause.RECORDED, **data}
    with transaction.atomic():
        if Membership.objects.current().filter(person=person).exists():
            raise ValidationError(_("该人员已有当前党员组织关系，请使用组织关系转接"))
        membership = Membership(person=person, organization=branch, **data)
        membership.full_clean()
        membership.save()
        status_before = person.political_status
        person.political_status = (
            PoliticalStatus.MEMBER if membership.status == MembershipStatus.FULL else PoliticalStatus.PROBATIONARY
        )
        if person.political_status != status_before:
            before = snapshot(person)
            person.save(update_fields=["political_status", "updated_at"])
            record("update", person, before=before, after=snapshot(person))
        record("create", membership, after=snapshot(membership))
    return membership


def convert_membership(person: Person, *, on: date) -> Membership:
    """A probationary member becomes a full member from ``on`` (the day probation ended, 细则 第34条).

    No scope check: the development case that approved the conversion is the authority.
    """
    with transaction.atomic():
        current = Membership.objects.current().select_for_update().filter(person=person).first()
        if current is None or current.status != MembershipStatus.PROBATIONARY:
            raise ValidationError(_("%(name)s没有预备党员的组织关系，无法转为正式党员") % {"name": person.name})
        before = snapshot(current)
        current.status = MembershipStatus.FULL
        current.converted_on = on
        current.full_clean()
        current.save(update_fields=["status", "converted_on", "updated_at"])
        record("update", current, before=before, after=snapshot(current))
        if person.political_status != PoliticalStatus.MEMBER:
            person_before = snapshot(person)
            person.political_status = PoliticalStatus.MEMBER
            person.save(update_fields=["political_status", "updated_at"])
            record("update", person, before=person_before, after=snapshot(person))
    return current


def set_discipline_probation(user, person_id: int, since: date | None, until: date | None, reason: str) -> Membership:
    """Record (or clear, with both dates empty) 留党察看 on the person's current membership.

    While it lasts the member has no voting, election or sponsoring rights (党章 第40条; 发展党员工作细则 第14条).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写处分决定文号或说明")})
    if until is not None and since is None:
        raise ValidationError({"since": _("请填写留党察看起始日期")})
    if since is not None and until is not None and until <= since:
        raise ValidationError({"until": _("恢复党员权利日期应晚于留党察看起始日期")})
    with transaction.atomic():
        person = recheck(Person.objects.all(), user, "people.change", person_id)
        current = Membership.objects.current().select_for_update().filter(person=person).first()
        if current is None:
            raise ValidationError(_("该人员没有当前党员组织关系"))
        if since is not None and since < (current.admitted_on or since):
            raise ValidationError({"since": _("留党察看起始日期不能早于入党日期")})
        before = snapshot(current)
        current.discipline_probation_from, current.discipline_probation_until = since, until
        current.save(update_fields=["discipline_probation_from", "discipline_probation_until", "updated_at"])
        record("update", current, before=before, after=snapshot(current), detail={"reason": reason})
    return current


# 党员减少登记: the decreases no other page records (a transfer out, a 停止党籍 or a 除名 for lost contact have theirs).
DEPARTURE_CAUSES = (EndCause.DIED, EndCause.EXPELLED, EndCause.LEFT, EndCause.REMOVED, EndCause.CANCELLED)


def register_departure(user, person_id: int, *, on: date, cause: str, note: str) -> Membership:
    """The member leaves the party's rolls for ``cause`` on ``on``: death (死亡), expulsion (开除党籍), resignation
    (退党), removal (除名, 党章 第九条) or, for a probationary member, 取消预备党员资格. The membership ends with the
    coded cause and the words; but for a death the person is no longer a party member (政治面貌 群众)."""
    note = (note or "").strip()
    if cause not in DEPARTURE_CAUSES:
        raise ValidationError({"cause": _("请选择有效的减少原因")})
    if not note:
        raise ValidationError({"note": _("请填写决定文件、会议记录或情况说明")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天")})
    with transaction.atomic():
        person = recheck(Person.objects.all(), user, "people.change", person_id)
        current = Membership.objects.current().filter(person=person).first()
        if current is None:
            raise ValidationError(_("该人员没有当前党员组织关系"))
        if on < current.started_on:
            raise ValidationError({"on": _("日期不能早于转入当前支部的日期")})
        if cause == EndCause.CANCELLED and current.status != MembershipStatus.PROBATIONARY:
            raise ValidationError({"cause": _("只有预备党员才能取消预备党员资格")})
        words = f"{EndCause(cause).label}：{note}"
        ended = end_membership(person, on=on, reason=words, cause=cause)
        if cause != EndCause.DIED and person.political_status != PoliticalStatus.MASSES:
            before = snapshot(person)
            person.political_status = PoliticalStatus.MASSES
            person.save(update_fields=["political_status", "updated_at"])
            record("update", person, before=before, after=snapshot(person), detail={"cause": cause})
    return ended


HONOUR_FIELDS = ("title", "kind", "level", "awarded_on", "issuer", "note")


def _honour_of(user, person_id: int, honour_id: int) -> Honour:
    person = recheck(Person.objects.all(), user, "people.change", person_id)
    honour = Honour.objects.select_for_update().filter(pk=honour_id, person=person).first()
    if honour is None:
        raise ValidationError(_("未找到该表彰奖励记录"))
    return honour


def add_honour(user, person_id: int, data: dict) -> Honour:
    with transaction.atomic():
        person = recheck(Person.objects.all(), user, "people.change", person_id)
        honour = Honour(person=person, **{f: data[f] for f in HONOUR_FIELDS if f in data})
        honour.full_clean()
        honour.save()
        record("create", honour, after=snapshot(honour))
    return honour


def update_honour(user, person_id: int, honour_id: int, data: dict) -> Honour:
    with transaction.atomic():
        honour = _honour_of(user, person_id, honour_id)
        save_changes(honour, {f: data[f] for f in HONOUR_FIELDS if f in data})
    return honour


def withdraw_honour(user, person_id: int, honour_id: int, reason: str) -> Honour:
    """Soft delete (entered by mistake, or revoked): the row stays with who and when, the reason in the audit."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因")})
    with transaction.atomic():
        honour = _honour_of(user, person_id, honour_id)
        before = snapshot(honour)
        honour.mark_deleted(user)
        honour.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        record("delete", honour, before=before, after=snapshot(honour), detail={"reason": reason})
    return honour
