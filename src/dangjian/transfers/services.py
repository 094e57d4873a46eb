"""Writing transfers: request, send (with the letter number), accept, reject, cancel, mark expired.

One function per user intention, each in one transaction, re-reading the transfer in scope, checking that the
acting user is on the side that may act, keeping a history row and an audit event. The membership moves only on
acceptance (党员教育管理工作条例 第25条: the old organisation stays responsible until then).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import can
from dangjian.audit.services import record, snapshot
from dangjian.orgs.models import Organization
from dangjian.people import services as people_services
from dangjian.people.models import EndCause, Membership

from .models import Direction, LetterCounter, Transfer, TransferEvent, TransferStatus
from .models.transfer import OPEN_STATUSES
from .rules import letter_valid_until

VIEW = "transfers.view"
CHANGE = "transfers.change"
S = TransferStatus

# action -> (states it may start from, per direction; state it leads to)
TRANSITIONS: dict[str, tuple[dict[str, tuple[str, ...]], str]] = {
    "send": ({Direction.INSIDE: (S.REQUESTED,), Direction.OUT: (S.REQUESTED,)}, S.SENT),
    "accept": ({Direction.INSIDE: (S.SENT,), Direction.OUT: (S.SENT,), Direction.IN: (S.SENT,)}, S.RECEIVED),
    "reject": ({Direction.INSIDE: (S.SENT,), Direction.OUT: (S.SENT,), Direction.IN: (S.SENT,)}, S.REJECTED),
    "cancel": ({Direction.INSIDE: (S.REQUESTED,), Direction.OUT: (S.REQUESTED,), Direction.IN: (S.SENT,)}, S.CANCELLED),
    "expire": ({Direction.OUT: (S.SENT,), Direction.IN: (S.SENT,)}, S.EXPIRED),
}
VERBS = {
    "send": gettext_lazy("发出"),
    "accept": gettext_lazy("接收"),
    "reject": gettext_lazy("拒收"),
    "cancel": gettext_lazy("撤销"),
    "expire": gettext_lazy("登记过期"),
}
OUT_VERBS = {"accept": gettext_lazy("登记回执（对方已接收）"), "reject": gettext_lazy("登记退回")}


def verb(direction: str, action: str) -> str:
    """The action's label, translated now: buttons show it and refusals quote it."""
    return str((OUT_VERBS if direction == Direction.OUT else {}).get(action, VERBS[action]))


def acting_side(t: Transfer, action: str) -> str:
    """Who acts: the sending side sends, cancels its request and records the receipt of an outgoing letter;
    the receiving side accepts or refuses. An incoming registration belongs to the receiving side."""
    if action == "send":
        return "from"
    if action == "cancel":
        return "to" if t.direction == Direction.IN else "from"
    return "from" if t.direction == Direction.OUT else "to"


def covers(user, org: Organization | None) -> bool:
    return org is not None and can(user, CHANGE, org)


def _side_org(t: Transfer, side: str) -> Organization | None:
    return t.from_org if side == "from" else t.to_org


def state_allows(t: Transfer, action: str) -> bool:
    starts, _leads_to = TRANSITIONS[action]
    return t.status in starts.get(t.direction, ())


def single_step(user, t: Transfer) -> bool:
    """Inside the tree, a user whose scope covers both branches sends and accepts in one action."""
    return (
        t.direction == Direction.INSIDE
        and t.status == S.REQUESTED
        and covers(user, t.from_org)
        and covers(user, t.to_org)
    )


def allowed_actions(user, t: Transfer) -> list[str]:
    out = [a for a in TRANSITIONS if state_allows(t, a) and covers(user, _side_org(t, acting_side(t, a)))]
    if "accept" not in out and single_step(user, t):
        out.append("accept")
    return out


def _check(user, t: Transfer, action: str) -> None:
    if action == "accept" and single_step(user, t):
        return
    if not state_allows(t, action):
        raise ValidationError(
            _("%(direction)s当前状态为「%(status)s」，不能%(action)s")
            % {
                "direction": t.get_direction_display(),
                "status": t.get_status_display(),
                "action": verb(t.direction, action),
            }
        )
    side = acting_side(t, action)
    if not covers(user, _side_org(t, side)):
        only = _("只有转出方党组织可以%(action)s") if side == "from" else _("只有接收方党组织可以%(action)s")
        raise ValidationError(only % {"action": verb(t.direction, action)})


def _lock(user, pk: int) -> Transfer:
    """``core.scoping.recheck`` with ``of=self``: the scope filter joins the nullable organisation columns, and
    PostgreSQL refuses FOR UPDATE on the nullable side of an outer join."""
    qs = Transfer.objects.visible_to(user, VIEW).select_related("from_org", "to_org", "person")
    t = qs.select_for_update(of=("self",)).filter(pk=pk).first()
    if t is None:
        raise Http404(_("对象不存在"))
    return t


def _move(user, t: Transfer, to_status: str, on: date, note: str = "", action: str = "") -> None:
    before = snapshot(t)
    TransferEvent.objects.create(transfer=t, from_status=t.status, to_status=to_status, on=on, note=note, by=user)
    t.status = to_status
    if to_status not in OPEN_STATUSES:
        t.closed_on = on
    t.save()
    record("update", t, before=before, after=snapshot(t), detail={"action": action or to_status, "note": note})


def _date(value, field: str, label: str, *, not_before: date | None = None, before_label: str = "") -> date:
    if not isinstance(value, date):
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    if value > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})
    if not_before and value < not_before:
        raise ValidationError(
            {
                field: _("%(label)s不能早于%(before)s %(date)s")
                % {"label": label, "before": before_label, "date": f"{not_before:%Y-%m-%d}"}
            }
        )
    return value


def request_transfer(
    user, person_id: int, *, to_org_id: int | None = None, to_name: str = "", reason: str, requested_on: date
) -> Transfer:
    """The sending side asks for a transfer: inside the tree (to_org_id) or to an outside organisation."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写转接原因")})
    _date(requested_on, "requested_on", _("申请日期"))
    with transaction.atomic():
        membership = Membership.objects.current().visible_to(user, CHANGE).filter(person_id=person_id)
        membership = membership.select_related("person", "organization").select_for_update(of=("self",)).first()
        if membership is None:
            raise Http404(_("对象不存在"))
        person, branch = membership.person, membership.organization
        if Transfer.objects.filter(person=person, status__in=OPEN_STATUSES).exists():
            raise ValidationError(_("%(name)s已有进行中的组织关系转接，请先办结或撤销") % {"name": person.name})
        if to_org_id:
            to_org = Organization.objects.active().filter(pk=to_org_id, kind="branch").first()
            if to_org is None:
                raise ValidationError({"to_org": _("接收党支部不存在或已撤销")})
            if to_org.pk == branch.pk:
                raise ValidationError({"to_org": _("已在该党支部，无需转接")})
            direction, to_name = Direction.INSIDE, to_org.name
        else:
            to_org, to_name = None, (to_name or "").strip()
            if not to_name:
                raise ValidationError({"to_name": _("请选择系统内的接收党支部，或填写系统外接收党组织名称")})
            direction = Direction.OUT
        t = Transfer.objects.create(
            direction=direction,
            status=S.REQUESTED,
            person=person,
            name=person.name,
            sex=person.sex,
            id_number=person.id_number,
            birth_date=person.birth_date,
            ethnicity=person.ethnicity,
            member_status=membership.status,
            admitted_on=membership.admitted_on,
            converted_on=membership.converted_on,
            from_org=branch,
            from_name=branch.name,
            to_org=to_org,
            to_name=to_name[:100],
            reason=reason[:200],
            requested_on=requested_on,
            created_by=user,
        )
        TransferEvent.objects.create(transfer=t, to_status=S.REQUESTED, on=requested_on, note=reason, by=user)
        record("create", t, after=snapshot(t))
    return t


def _next_letter_seq(year: int) -> int:
    LetterCounter.objects.get_or_create(year=year)
    counter = LetterCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last", "updated_at"])
    return counter.last


def send(user, pk: int, *, on: date, dues_paid_to: date | None = None) -> Transfer:
    """Send: inside the tree the receiving branch sees it; outside, a numbered letter with its validity."""
    with transaction.atomic():
        t = _lock(user, pk)
        _check(user, t, "send")
        _date(on, "on", _("发出日期"), not_before=t.requested_on, before_label=_("申请日期"))
        t.dues_paid_to = dues_paid_to
        t.sent_on = on
        note = ""
        if t.direction == Direction.OUT:
            t.letter_year, t.letter_seq = on.year, _next_letter_seq(on.year)
            t.valid_until = letter_valid_until(on)
            note = f"介绍信 {t.letter_number}，有效期至 {t.valid_until:%Y-%m-%d}"
        _move(user, t, S.SENT, on, note, "send")
    return t


def _check_not_expired(t: Transfer, on: date) -> None:
    if t.valid_until and on > t.valid_until:
        raise ValidationError(
            {"on": _("介绍信有效期至 %(date)s，已过期；请登记过期后重新办理") % {"date": f"{t.valid_until:%Y-%m-%d}"}}
        )


def accept(user, pk: int, *, on: date) -> Transfer:
    """The receiving side accepts (or, for an outgoing letter, the receipt came back): the membership moves now."""
    with transaction.atomic():
        t = _lock(user, pk)
        _check(user, t, "accept")
        if t.status == S.REQUESTED:  # single step by a user covering both branches
            _date(on, "on", _("接收日期"), not_before=t.requested_on, before_label=_("申请日期"))
            t.sent_on = on
            _move(user, t, S.SENT, on, "转出方与接收方均在本人管理范围内，一次办结", "send")
        _date(on, "on", _("接收日期"), not_before=t.sent_on, before_label=_("发出日期"))
        _check_not_expired(t, on)
        if t.direction == Direction.INSIDE:
            _current_in(t)
            # request() names both for a transfer inside the institute, and PROTECT keeps them
            assert t.person is not None and t.to_org is not None
            # the receiving side decides (条例 第25条), though the member is still outside its scope
            people_services.relocate_membership(t.person, t.to_org, on=on, reason=f"组织关系转至{t.to_name}")
        elif t.direction == Direction.OUT:
            _end_membership(t, on)
        else:
            from .incoming import take_in

            take_in(user, t, on)
        _move(user, t, S.RECEIVED, on, action="accept")
    return t


def _current_in(t: Transfer) -> Membership:
    current = Membership.objects.current().select_for_update().filter(person_id=t.person_id).first()
    if current is None or current.organization_id != t.from_org_id:
        raise ValidationError(
            _("%(name)s当前已不在%(org)s，本次转接已失效，请撤销后重新申请") % {"name": t.name, "org": t.from_name}
        )
    return current


def _end_membership(t: Transfer, on: date) -> None:
    """The receipt came back: the member leaves the tree on that day."""
    current = _current_in(t)
    if on < current.started_on:
        raise ValidationError({"on": _("接收日期不能早于转入当前支部的日期")})
    people_services.end_membership(
        current.person, on=on, reason=f"组织关系转出至{t.to_name}", cause=EndCause.TRANSFERRED_OUT
    )


def reject(user, pk: int, *, on: date, reason: str) -> Transfer:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写拒收或退回的理由（接收方无正当理由不得拒收，条例第25条）")})
    with transaction.atomic():
        t = _lock(user, pk)
        _check(user, t, "reject")
        _date(on, "on", _("日期"), not_before=t.sent_on, before_label=_("发出日期"))
        t.close_reason = reason
        _move(user, t, S.REJECTED, on, reason, "reject")
    return t


def cancel(user, pk: int, *, reason: str) -> Transfer:
    """Withdraw a request before it is sent (or an incoming registration made by mistake); never deleted."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因")})
    with transaction.atomic():
        t = _lock(user, pk)
        _check(user, t, "cancel")
        t.close_reason = reason
        _move(user, t, S.CANCELLED, timezone.localdate(), reason, "cancel")
    return t


def expire(user, pk: int, *, on: date | None = None) -> Transfer:
    """The letter's validity ran out without a receipt (or before acceptance): close it as expired."""
    on = on or timezone.localdate()
    with transaction.atomic():
        t = _lock(user, pk)
        _check(user, t, "expire")
        if t.valid_until is None or on <= t.valid_until:
            until = f"{t.valid_until:%Y-%m-%d}" if t.valid_until else _("未填写")
            raise ValidationError(_("介绍信有效期至 %(date)s，尚未过期") % {"date": until})
        _move(user, t, S.EXPIRED, on, f"有效期至 {t.valid_until:%Y-%m-%d}，未在有效期内办结", "expire")
    return t
