"""Writing development cases: open a case, record a step, add a contact, override a blocked check.

Each runs in one transaction, re-reads the case in the user's scope and writes an audit event.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import can
from dangjian.audit.services import record, snapshot
from dangjian.core.ruletable import NoRuleInForce
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Organization
from dangjian.people import services as people_services
from dangjian.people.models import EndCause, Membership, MembershipStatus, Person, PoliticalStatus, StartCause

from .models import (
    ActivistReview,
    CaseStatus,
    Contact,
    ContactRole,
    Development,
    Override,
    ProbationCancellation,
    ProbationExtension,
    StepRecord,
)
from .rules import party_standing_starts, probation_end
from .steps import steps_in_force
from .timeline import (
    cancellation_of,
    extension_months,
    gate,
    next_due,
    sponsor_refusal,
    stage_for,
    table_of,
    timeline,
)

VIEW = "development.view"
CHANGE = "development.change"
OVERRIDE = "development.override"


def _refresh(dev: Development, today: date) -> None:
    """Recompute the denormalised stage, status, next step and nearest deadline."""
    records = {r.number: r for r in dev.steps.all()}
    items = timeline(dev, today, records=records)
    dev.next_step, dev.next_due_on = next_due(items)
    dev.stage = stage_for(records, table_of(dev))
    dev.status = CaseStatus.CLOSED if dev.next_step is None else CaseStatus.OPEN
    dev.save(update_fields=["next_step", "next_due_on", "stage", "status", "updated_at"])


def _decimal(value, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({label: _("请输入数字")}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({label: _("不能为负数")})
    return number


def _count(value, label: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({label: _("请输入整数")}) from None
    if number < 0 or number > 32767:
        raise ValidationError({label: _("人数应为0至32767的整数")})
    return number


def open_case(user, person_id: int, branch_id: int, applied_on: date) -> Development:
    today = timezone.localdate()
    with transaction.atomic():
        branch = recheck(Organization.objects.all(), user, CHANGE, branch_id)
        if branch.kind != "branch":
            raise ValidationError({"branch": _("发展党员以党支部为单位进行")})
        person = Person.objects.visible_to(user, "people.view").filter(pk=person_id).first()
        if person is None:
            raise ValidationError({"person": _("人员不存在或不在您的管理范围内")})
        if applied_on > today:
            raise ValidationError({"applied_on": _("递交申请书日期不能晚于今天")})
        if Membership.objects.current().filter(person=person).exists():
            raise ValidationError({"person": _("%(name)s已是党员") % {"name": person.name}})
        if Development.objects.filter(person=person, status=CaseStatus.OPEN).exists():
            raise ValidationError({"person": _("%(name)s已有进行中的发展记录") % {"name": person.name}})
        try:
            version = steps_in_force(applied_on).version
        except LookupError as exc:
            raise ValidationError({"applied_on": str(exc)}) from None
        dev = Development.objects.create(
            person=person, branch=branch, started_on=applied_on, rule_version=version, created_by=user
        )
        _refresh(dev, today)
        record("create", dev, after=snapshot(dev))
    return dev


def record_step(user, dev_id: int, step_number: int, data: dict) -> StepRecord:
    """Record the next step; refuses other steps, and blocked ones unless the office overrode the check."""
    today = timezone.localdate()
    with transaction.atomic():
        dev = recheck(Development.objects.select_related("person"), user, CHANGE, dev_id)
        if dev.status != CaseStatus.OPEN:
            raise ValidationError(_("该发展记录已结束"))
        table = table_of(dev)
        try:
            step = table.by_number(int(step_number))
        except (KeyError, TypeError, ValueError):
            raise ValidationError(_("第%(number)s步不存在") % {"number": step_number}) from None
        records = {r.number: r for r in dev.steps.all()}
        if step.number in records:
            raise ValidationError(_("第%(number)s步「%(name)s」已记录") % {"number": step.number, "name": step.name})
        expected = next(s for s in table if s.number not in records)
        if step.number != expected.number:
            raise ValidationError(
                _("请按顺序办理：下一步为第%(number)s步「%(name)s」")
                % {"number": expected.number, "name": expected.name}
            )
        done_on = data.get("done_on")
        if not isinstance(done_on, date):
            raise ValidationError({"done_on": _("请填写完成日期")})
        if done_on > today:
            raise ValidationError({"done_on": _("完成日期不能晚于今天")})
        if step.code == "submit_application" and done_on != dev.started_on:
            raise ValidationError({"done_on": _("递交入党申请书日期应为 %(date)s") % {"date": dev.started_on}})
        previous = max((r.done_on for r in records.values()), default=dev.started_on)
        if done_on < previous:
            raise ValidationError({"done_on": _("完成日期不能早于上一步骤的日期 %(date)s") % {"date": previous}})
        facts = {
            "training_days": _decimal(data.get("training_days"), "training_days"),
            "training_hours": _decimal(data.get("training_hours"), "training_hours"),
            "votes_due": _count(data.get("votes_due"), "votes_due"),
            "votes_present": _count(data.get("votes_present"), "votes_present"),
            "votes_yes": _count(data.get("votes_yes"), "votes_yes"),
            "votes_written_yes": _count(data.get("votes_written_yes"), "votes_written_yes"),
        }
        contacts = list(dev.contacts.select_related("person"))
        check = gate(dev, step, done_on, records, contacts, data=facts)
        override = dev.overrides.filter(step_code=step.code).last()
        if check is not None and check.blocked and override is None:
            raise ValidationError(f"{check.reason}（{check.citation}）")
        actor = None
        if data.get("actor_id"):
            actor = Person.objects.filter(pk=data["actor_id"]).first()
            if actor is None:
                raise ValidationError({"actor": _("经办人不存在")})
        rec = StepRecord.objects.create(
            development=dev,
            number=step.number,
            code=step.code,
            done_on=done_on,
            actor=actor,
            documents=(data.get("documents") or "").strip(),
            note=(data.get("note") or "").strip(),
            recorded_by=user,
            **facts,
        )
        before = snapshot(dev)
        _refresh(dev, today)
        detail = {"step": step.number, "code": step.code}
        if check is not None and check.blocked:
            detail.update(override_id=override.pk, blocked_reason=check.reason, citation=check.citation)
        elif check is not None and check.warning:  # a local rule the office set to warn only
            detail.update(warning=check.reason, citation=check.citation)
        record("create", rec, after=snapshot(rec), detail=detail)
        _update_roster(dev, step.code, done_on, records)
        if before != snapshot(dev):
            record("update", dev, before=before, after=snapshot(dev))
    return rec


def _update_roster(dev: Development, code: str, done_on: date, records: dict[int, StepRecord]) -> None:
    """The roster follows the case: approval of admission makes a probationary member of the branch, counted
    from the admitting members' meeting (细则 第30条); approval of conversion makes a full member from the day
    probation ended, which is when party standing starts (第34条)."""
    meeting = next((r.done_on for r in records.values() if r.code == "admission_meeting"), None)
    if code == "upper_approval":
        admitted_on = meeting or done_on
        people_services.admit_membership(
            dev.person,
            dev.branch,
            {
                "status": MembershipStatus.PROBATIONARY,
                "applied_on": dev.started_on,
                "admitted_on": admitted_on,
                "started_on": admitted_on,
                "start_cause": StartCause.ADMITTED,
            },
        )
    elif code == "conversion_approval" and meeting is not None:
        ends = probation_end(meeting, extension_months(dev)).on
        people_services.convert_membership(dev.person, on=party_standing_starts(ends).on)


def _refuse_if_cancelled(dev: Development) -> None:
    """A case whose probation was cancelled (细则 第34条) is finished: nothing more is recorded on it."""
    if cancellation_of(dev) is not None:
        raise ValidationError(_("已取消预备党员资格，该发展记录已结束"))


def add_contact(user, dev_id: int, person_id: int, role: str) -> Contact:
    with transaction.atomic():
        dev = recheck(Development.objects.all(), user, CHANGE, dev_id)
        _refuse_if_cancelled(dev)
        if role not in ContactRole.values:
            raise ValidationError({"role": _("无效的角色")})
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            raise ValidationError({"person": _("人员不存在")})
        if person.pk == dev.person_id:
            raise ValidationError({"person": _("不能指定本人")})
        if Contact.objects.filter(development=dev, person=person, role=role).exists():
            raise ValidationError(
                {"person": _("%(name)s已是%(role)s") % {"name": person.name, "role": ContactRole(role).label}}
            )
        if role == ContactRole.SPONSOR:  # 细则 第14条: a full member, not under 留党察看 — judged when named
            refusal = sponsor_refusal(dev, person, timezone.localdate())
            if refusal is not None:
                raise ValidationError({"person": f"{refusal.reason}（{refusal.citation}）"})
        contact = Contact.objects.create(development=dev, person=person, role=role)
        record("create", contact, after=snapshot(contact))
    return contact


def override(user, dev_id: int, step_code: str, reason: str) -> Override:
    """The committee office (``development.override`` over the case's branch) lets a blocked check through, with a
    reason."""
    with transaction.atomic():
        dev = recheck(Development.objects.all(), user, CHANGE, dev_id)
        if not can(user, OVERRIDE, dev):
            raise Http404(_("对象不存在"))
        _refuse_if_cancelled(dev)
        try:
            step = table_of(dev).by_code(step_code)
        except KeyError:
            raise ValidationError({"step_code": _("步骤 %(code)s 不存在") % {"code": step_code}}) from None
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("例外放行必须填写理由")})
        if dev.steps.filter(number=step.number).exists():
            raise ValidationError(
                {
                    "step_code": _("第%(number)s步「%(name)s」已记录，无需放行")
                    % {"number": step.number, "name": step.name}
                }
            )
        ov = Override.objects.create(development=dev, step_code=step.code, reason=reason, by=user)
        record("create", ov, after=snapshot(ov), detail={"step": step.number, "step_name": step.name})
        _refresh(dev, timezone.localdate())
    return ov


def set_expected_departure(user, dev_id: int, leaves_on: date | None) -> Development:
    """Record (or clear, with None) the day the development target is expected to leave the work or study unit:
    细则 第19条 "发展对象未来3个月内将离开工作、学习单位的，一般不办理接收预备党员的手续" is judged against it at
    预审 and the later admission decisions. Only while the case is open and the person not yet admitted."""
    with transaction.atomic():
        dev = recheck(Development.objects.all(), user, CHANGE, dev_id)
        if dev.status != CaseStatus.OPEN or "upper_approval" in _done(dev):
            raise ValidationError({"leaves_unit_on": _("已批准接收为预备党员或发展记录已结束，无需登记")})
        if leaves_on is not None and (not isinstance(leaves_on, date) or leaves_on < dev.started_on):
            raise ValidationError(
                {"leaves_unit_on": _("预计离开日期不能早于递交入党申请书日期 %(d)s") % {"d": dev.started_on}}
            )
        if leaves_on == dev.leaves_unit_on:
            raise ValidationError({"leaves_unit_on": _("与已登记的日期相同，没有修改")})
        before = snapshot(dev)
        dev.leaves_unit_on = leaves_on
        dev.save(update_fields=["leaves_unit_on", "updated_at"])
        record("update", dev, before=before, after=snapshot(dev))
    return dev


def _done(dev: Development) -> dict[str, date]:
    return dict(dev.steps.values_list("code", "done_on"))


def extend_probation(user, dev_id: int, months, decided_on: date, reason: str) -> ProbationExtension:
    """The branch meeting extends probation once only, by 6 to 12 months (细则 第32条); only while the person is
    probationary (admission approved, conversion not yet discussed)."""
    today = timezone.localdate()
    with transaction.atomic():
        dev = recheck(Development.objects.all(), user, CHANGE, dev_id)
        _refuse_if_cancelled(dev)
        done = _done(dev)
        if dev.status != CaseStatus.OPEN or "upper_approval" not in done or "conversion_meeting" in done:
            raise ValidationError(_("只有预备党员（接收已批准、尚未讨论转正）才能延长预备期"))
        if isinstance(months, bool) or not isinstance(months, int):
            raise ValidationError({"months": _("延长月数应为整数")})
        if not isinstance(decided_on, date):
            raise ValidationError({"decided_on": _("请填写支部大会决定日期")})
        meeting = done["admission_meeting"]
        if decided_on > today or decided_on < meeting:
            raise ValidationError(
                {"decided_on": _("决定日期应在接收预备党员的支部大会 %(date)s 与今天之间") % {"date": meeting}}
            )
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("请填写延长预备期的理由")})
        existing = extension_months(dev)
        try:
            probation_end(meeting, existing + [months])
        except ValueError as exc:
            raise ValidationError(str(exc) if existing else {"months": str(exc)}) from None
        except NoRuleInForce as exc:  # a meeting before the first probation rule: the rule store's words
            raise ValidationError(exc.message) from None
        except LookupError as exc:
            raise ValidationError(str(exc)) from None
        ext = ProbationExtension.objects.create(
            development=dev, months=months, decided_on=decided_on, reason=reason, recorded_by=user
        )
        record("create", ext, after=snapshot(ext), detail={"probation_end": str(probation_end(meeting, [months]).on)})
        _refresh(dev, today)
    return ext


def cancel_probation(user, dev_id: int, meeting_on: date, approved_on: date, reason: str) -> ProbationCancellation:
    """取消预备党员资格: 细则 第34条 "预备党员不履行党员义务，不具备党员条件的，应当取消其预备党员资格", decided by
    the branch members' meeting and approved by the upper committee (第33、34条, as a conversion is). Only while the
    person is probationary (admission approved, conversion not approved). The case ends (its remaining steps are
    no longer due), the probationary membership ends on the approval day with the coded cause 取消预备党员资格 (the
    statistics count it among the year's 出党), and the person is no longer a party member (政治面貌 群众)."""
    today = timezone.localdate()
    with transaction.atomic():
        dev = recheck(Development.objects.select_related("person"), user, CHANGE, dev_id)
        done = _done(dev)
        if dev.status != CaseStatus.OPEN or "upper_approval" not in done or "conversion_approval" in done:
            raise ValidationError(_("只有预备党员（接收已批准、尚未批准转正）才能取消预备党员资格"))
        current = Membership.objects.current().filter(person=dev.person).first()
        if current is None or current.status != MembershipStatus.PROBATIONARY:
            raise ValidationError(_("%(name)s没有预备党员的组织关系") % {"name": dev.person.name})
        if not isinstance(meeting_on, date):
            raise ValidationError({"meeting_on": _("请填写支部大会讨论日期")})
        if not isinstance(approved_on, date):
            raise ValidationError({"approved_on": _("请填写上级党委审批日期")})
        admitted = done["admission_meeting"]
        if meeting_on > today or meeting_on < admitted:
            raise ValidationError(
                {"meeting_on": _("讨论日期应在接收预备党员的支部大会 %(date)s 与今天之间") % {"date": admitted}}
            )
        if approved_on > today or approved_on < meeting_on:
            raise ValidationError({"approved_on": _("审批日期应在支部大会讨论日期与今天之间")})
        if approved_on < current.started_on:
            raise ValidationError(
                {"approved_on": _("审批日期不能早于转入当前支部的日期 %(date)s") % {"date": current.started_on}}
            )
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("请填写取消预备党员资格的理由")})
        cancellation = ProbationCancellation.objects.create(
            development=dev, meeting_on=meeting_on, approved_on=approved_on, reason=reason, recorded_by=user
        )
        record("create", cancellation, after=snapshot(cancellation))
        words = _("支部大会%(meeting)s讨论，上级党委%(approved)s批准：%(reason)s") % {
            "meeting": meeting_on,
            "approved": approved_on,
            "reason": reason,
        }
        people_services.end_membership(dev.person, on=approved_on, reason=words, cause=EndCause.CANCELLED)
        person = dev.person
        if person.political_status != PoliticalStatus.MASSES:
            before = snapshot(person)
            person.political_status = PoliticalStatus.MASSES
            person.save(update_fields=["political_status", "updated_at"])
            record("update", person, before=before, after=snapshot(person), detail={"cause": EndCause.CANCELLED})
        before = snapshot(dev)
        _refresh(dev, today)
        record("update", dev, before=before, after=snapshot(dev), detail={"cancellation_id": cancellation.pk})
    return cancellation


def add_review(user, dev_id: int, reviewed_on: date, summary: str, reviewer_id: int | None = None) -> ActivistReview:
    """A half-yearly review of an activist by the branch (细则 第11条), between the activist date and today,
    while the person has not yet been confirmed as a development target."""
    today = timezone.localdate()
    with transaction.atomic():
        dev = recheck(Development.objects.all(), user, CHANGE, dev_id)
        done = _done(dev)
        if "confirm_activist" not in done or "confirm_candidate" in done:
            raise ValidationError(_("只能在确定为入党积极分子之后、确定为发展对象之前记录考察"))
        if not isinstance(reviewed_on, date):
            raise ValidationError({"reviewed_on": _("请填写考察日期")})
        if reviewed_on > today or reviewed_on < done["confirm_activist"]:
            raise ValidationError(
                {
                    "reviewed_on": _("考察日期应在确定为入党积极分子之日 %(date)s 与今天之间")
                    % {"date": done["confirm_activist"]}
                }
            )
        summary = (summary or "").strip()
        if not summary:
            raise ValidationError({"summary": _("请填写考察意见")})
        reviewer = None
        if reviewer_id:
            reviewer = Person.objects.visible_to(user, "people.view").filter(pk=reviewer_id).first()
            if reviewer is None:
                raise ValidationError({"reviewer": _("人员不存在或不在您的管理范围内")})
        review = ActivistReview.objects.create(
            development=dev, reviewed_on=reviewed_on, reviewer=reviewer, summary=summary, recorded_by=user
        )
        record("create", review, after=snapshot(review))
        _refresh(dev, today)
    return review
