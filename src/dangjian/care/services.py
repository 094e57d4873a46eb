"""Writing care records: record an event (creating its obligations), close an obligation, edit the rules.

Each runs in one transaction, re-reads what it changes in the user's scope and writes an audit event.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import WHOLE_TREE, can
from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.people.models import Person
from dangjian.rules.confidence import Confidence
from dangjian.rules.models import RuleVersion
from dangjian.rules.services import LOCAL_CITATION, add_version

from .assign import branch_of, create_obligations
from .models import (
    CareEvent,
    CareRule,
    EventKind,
    EventSource,
    Obligation,
    ObligationKind,
    ObligationStatus,
    Responsible,
)
from .models.care import CARE_CONFIDENCE
from .rule_terms import value_of

VIEW = "care.view"
CHANGE = "care.change"
LINE_FIELDS = ("trigger", "kind", "responsible")
TERM_FIELDS = ("deadline_days", "active", "confidence", "source")
RULE_FIELDS = LINE_FIELDS + TERM_FIELDS


def person_in_scope(user, person_id) -> Person:
    person = Person.objects.visible_to(user, CHANGE).filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"person": _("人员不存在或不在您的管理范围内")})
    return person


def check_event(kind: str, occurred_on, today: date) -> None:
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("无效的事件类型")})
    if not isinstance(occurred_on, date):
        raise ValidationError({"occurred_on": _("请填写发生日期")})
    if occurred_on.year < 2000 or (occurred_on - today).days > 366:
        raise ValidationError({"occurred_on": _("发生日期不在合理范围内（2000年以后，且不超过一年后）")})


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
            raise ValidationError(_("该事项已办结或已撤销"))
        done_on = data.get("done_on")
        if not isinstance(done_on, date):
            raise ValidationError({"done_on": _("请填写办理日期")})
        if done_on > today:
            raise ValidationError({"done_on": _("办理日期不能晚于今天")})
        if done_on < ob.event.occurred_on:
            raise ValidationError(
                {"done_on": _("办理日期不能早于事件发生日期 %(date)s") % {"date": ob.event.occurred_on}}
            )
        what = (data.get("what_done") or "").strip()
        if not what:
            raise ValidationError({"what_done": _("请填写办理情况")})
        follow_up_on = data.get("follow_up_on") if data.get("follow_up_needed") else None
        if data.get("follow_up_needed") and not isinstance(follow_up_on, date):
            raise ValidationError({"follow_up_on": _("需要跟进时请填写跟进日期")})
        if follow_up_on is not None and follow_up_on <= done_on:
            raise ValidationError({"follow_up_on": _("跟进日期应晚于办理日期")})
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


def _terms_data(data: dict, before: dict | None) -> dict:
    """The terms after the edit: the fields given, the others as the latest version has them; checked."""
    out = dict(before or {"deadline_days": None, "active": True, "confidence": Confidence.L, "source": ""})
    out.update({f: data[f] for f in TERM_FIELDS if f in data})
    days = out["deadline_days"]
    if days is None or not (0 <= int(days) <= 365):
        raise ValidationError({"deadline_days": _("期限应为0至365天")})
    out["deadline_days"], out["active"] = int(days), bool(out["active"])
    if out["confidence"] not in {mark for mark, _label in CARE_CONFIDENCE}:
        raise ValidationError({"confidence": _("关怀规则是组织自定的设置，依据类别只能是参考做法、本单位设置或待核实")})
    out["source"] = (out["source"] or "").strip()
    if len(out["source"]) > 200:
        raise ValidationError({"source": _("依据不超过200字")})
    return out


def latest_terms(rule: CareRule) -> dict | None:
    """The terms of the line's latest institute-wide version (the one an edit starts from), as the form has them."""
    latest = RuleVersion.objects.filter(key=rule.key, organization=None).order_by("-version").first()
    if latest is None:
        return None
    value = latest.value or {}
    source = "" if latest.citation == LOCAL_CITATION else latest.citation
    return {
        "deadline_days": value.get("deadline_days"),
        "active": bool(value.get("active")),
        "confidence": latest.confidence,
        "source": source,
    }


def _new_line(data: dict) -> CareRule:
    line = {f: data.get(f) for f in LINE_FIELDS}
    choices = {"trigger": EventKind.values, "kind": ObligationKind.values, "responsible": Responsible.values}
    for f, allowed in choices.items():
        if line[f] not in allowed:
            raise ValidationError({f: _("请选择有效的选项")})
    if CareRule.objects.filter(**line).exists():
        raise ValidationError(_("已有相同事件、方式和责任人的规则，请直接修改该规则"))
    return CareRule.objects.create(**line)


def save_rule(user, rule_id: int | None, data: dict) -> CareRule:
    """A new line of the care list, or new terms for a line: a new version in the rule store from
    ``effective_from`` (today if not given), never an overwrite, so events that happened before it keep being
    judged by the terms in force then. The line's identity (event, kind, role) is fixed once it exists."""
    # The care list binds every organisation: the office's rules.edit over the whole tree.
    if not can(user, "rules.edit", WHOLE_TREE):
        raise Http404(_("页面不存在"))
    effective_from = data.get("effective_from") or timezone.localdate()
    with transaction.atomic():
        if rule_id:
            rule = CareRule.objects.select_for_update().filter(pk=rule_id).first()
            if rule is None:
                raise Http404(_("对象不存在"))
            for f in LINE_FIELDS:
                if f in data and data[f] != getattr(rule, f):
                    raise ValidationError(
                        {f: _("已有规则的触发事件、关怀方式和责任人不能修改；请停用本规则，另行新增")}
                    )
            before = latest_terms(rule)
        else:
            rule, before = _new_line(data), None
        after = _terms_data(data, before)
        if after == before:
            raise ValidationError(_("与当前规则相同，没有修改"))
        version = add_version(
            user,
            rule.key,
            value_of(after["deadline_days"], after["active"]),
            effective_from,
            citation=after["source"] or LOCAL_CITATION,
            confidence=after["confidence"],
            reason=(data.get("reason") or "").strip(),
            was=value_of(before["deadline_days"], before["active"]) if before else None,
        )
        # The line's own trail, as before the move: what changed, and which version now carries it.
        record(
            "update" if before else "create",
            rule,
            before=before,
            after=after if before else {**snapshot(rule), **after},
            detail={
                "version": version.version,
                "effective_from": effective_from.isoformat(),
                "rule_version": version.pk,
            },
        )
    return rule


def withdraw_event(user, event_id: int, reason: str) -> CareEvent:
    """An event recorded by mistake: the event is soft-deleted and its open obligations are cancelled;
    obligations already done keep their closing record."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因")})
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
