"""Writing care records: record an event (creating its obligations), close an obligation, edit the rules.

Each runs in one transaction, re-reads what it changes in the user's scope and writes an audit event.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from dangjian.accounts.scope import WHOLE_TREE, can
from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.people.models import Person

from .assign import branch_of, create_obligations
from .models import CareEvent, CareRule, EventKind, EventSource, Obligation, ObligationStatus

VIEW = "care.view"
CHANGE = "care.change"
RULE_FIELDS = (
    "trigger",
    "kind",
    "responsible",
    "deadline_days",
    "active",
    "confidence",
    "source",
)


def person_in_scope(user, person_id) -> Person:
    person = Person.objects.visible_to(user, CHANGE).filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"person": "人员不存在或不在您的管理范围内"})
    return person


def check_event(kind: str, occurred_on, today: date) -> None:
    if kind not in EventKind.values:
        raise ValidationError({"kind": "无效的事件类型"})
    if not isinstance(occurred_on, date):
        raise ValidationError({"occurred_on": "请填写发生日期"})
    if occurred_on.year < 2000 or (occurred_on - today).days > 366:
        raise ValidationError({"occurred_on": "发生日期不在合理范围内（2000年以后，且不超过一年后）"})


def record_event(user, person_id: int, kind: str, occurred_on: date, description: str = "", *, source=EventSource.FORM):
    """Record a life or work event; its obligations follow from the rules in force today."""
    with transaction.atomic():
        return _record_event(user, person_in_scope(user, person_id), kind, occurred_on, description, source)


def _record_event(user, person: Person, kind, occurred_on, description, source) -> CareEvent:
    check_event(kind, occurred_on, timezone.localdate())
    branch = branch_of(person)
    event = CareEvent.objects.create(
        person=person,
        kind=kind,
        occurred_on=occurred_on,
        description=(description or "").strip(),
        branch=branch,
        department_id=person.department_id,
        source=source,
        recorded_by=user,
    )
    obligations = create_obligations(event)
    record("create", event, after=snapshot(event), detail={"obligations": len(obligations)})
    return event


def close_obligation(user, obligation_id: int, data: dict) -> Obligation:
    """The closing record: who did it, when, what was done; a follow-up date opens a new item."""
    today = timezone.localdate()
    with transaction.atomic():
        ob = recheck(Obligation.objects.select_related("event"), user, CHANGE, obligation_id)
        if ob.status != ObligationStatus.OPEN:
            raise ValidationError("该事项已办结或已撤销")
        done_on = data.get("done_on")
        if not isinstance(done_on, date):
            raise ValidationError({"done_on": "请填写办理日期"})
        if done_on > today:
            raise ValidationError({"done_on": "办理日期不能晚于今天"})
        if done_on < ob.event.occurred_on:
            raise ValidationError({"done_on": f"办理日期不能早于事件发生日期 {ob.event.occurred_on}"})
        what = (data.get("what_done") or "").strip()
        if not what:
            raise ValidationError({"what_done": "请填写办理情况"})
        follow_up_on = data.get("follow_up_on") if data.get("follow_up_needed") else None
        if data.get("follow_up_needed") and not isinstance(follow_up_on, date):
            raise ValidationError({"follow_up_on": "需要跟进时请填写跟进日期"})
        if follow_up_on is not None and follow_up_on <= done_on:
            raise ValidationError({"follow_up_on": "跟进日期应晚于办理日期"})
        done_by = data.get("done_by") or getattr(user, "person", None)
        before = snapshot(ob)
        ob.status = ObligationStatus.CLOSED
        ob.done_on, ob.what_done, ob.done_by = done_on, what, done_by
        ob.follow_up_needed, ob.follow_up_on, ob.closed_by = follow_up_on is not None, follow_up_on, user
        ob.save()
        record("update", ob, before=before, after=snapshot(ob))
        if follow_up_on is not None:
            nxt = Obligation.objects.create(
                event=ob.event,
                rule=ob.rule,
                kind=ob.kind,
                responsible_role=ob.responsible_role,
                responsible_user=ob.responsible_user,
                due_on=follow_up_on,
                follow_up_of=ob,
            )
            record("create", nxt, after=snapshot(nxt), detail={"follow_up_of": ob.pk})
    return ob


def _rule_values(data: dict) -> dict:
    values = {f: data[f] for f in RULE_FIELDS if f in data}
    days = values.get("deadline_days")
    if days is not None and not (0 <= int(days) <= 365):
        raise ValidationError({"deadline_days": "期限应为0至365天"})
    return values


def save_rule(user, rule_id: int | None, data: dict) -> CareRule:
    # The care list binds every organisation: the office's rules.edit over the whole tree.
    if not can(user, "rules.edit", WHOLE_TREE):
        raise Http404("页面不存在")
    with transaction.atomic():
        values = _rule_values(data)
        rule = CareRule.objects.select_for_update().filter(pk=rule_id).first() if rule_id else CareRule()
        if rule is None:
            raise Http404("对象不存在")
        before = snapshot(rule) if rule.pk else None
        for k, v in values.items():
            setattr(rule, k, v)
        dup = CareRule.objects.filter(trigger=rule.trigger, kind=rule.kind, responsible=rule.responsible)
        if dup.exclude(pk=rule.pk).exists():
            raise ValidationError("已有相同事件、方式和责任人的规则，请直接修改该规则")
        rule.save()
        record("update" if before else "create", rule, before=before, after=snapshot(rule))
    return rule


def withdraw_event(user, event_id: int, reason: str) -> CareEvent:
    """An event recorded by mistake: the event is soft-deleted and its open obligations are cancelled;
    obligations already done keep their closing record."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写撤销原因"})
    with transaction.atomic():
        event = recheck(CareEvent.objects.all(), user, CHANGE, event_id)
        before = snapshot(event)
        cancelled = event.obligations.filter(status=ObligationStatus.OPEN).update(
            status=ObligationStatus.CANCELLED, updated_at=timezone.now()
        )
        event.mark_deleted(user)
        event.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        record("delete", event, before=before, detail={"reason": reason, "cancelled_obligations": cancelled})
    return event
