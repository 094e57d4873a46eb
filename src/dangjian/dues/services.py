"""Writing dues records: accounts and bases, payments (and voiding them), relief requests and decisions.

Each function is one user intention in one transaction: it re-reads the member in the user's
"dues.change" scope (404 otherwise), validates with Chinese messages and writes an audit event.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import can_at_path
from dangjian.audit.services import record, snapshot
from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Membership

from .ledger import start_month
from .models import (
    BaseSource,
    DuesAccount,
    DuesBase,
    DuesPayment,
    DuesRelief,
    PaymentKind,
    PaymentMethod,
    ReliefKind,
    ReliefStatus,
    is_for_centre,
)
from .months import add_months, label, month_start, months_between
from .rule_data import DUES_RULES, DUES_SINCE
from .rules import CATEGORIES, dues_for

VIEW = "dues.view"
CHANGE = "dues.change"
RELIEF = "dues.relief"
MAX_PAYMENT_MONTHS = 24
MAX_RELIEF_MONTHS = 24
# what the columns hold (max_digits=12): no monthly base or payment comes near it
MAX_AMOUNT = Decimal("99999999.99")
# months the rule table can judge (from DUES_SINCE, the 2008 regulation) up to two years ahead
MONTHS_AHEAD = 24


def check_month(month: date, field: str) -> date:
    """A month the rule table can judge: from April 2008 to two years ahead."""
    month = month_start(month)
    if month < DUES_SINCE:
        raise ValidationError({field: _("党费规定自2008年4月起施行，不能登记更早的月份")})
    if month > add_months(month_start(timezone.localdate()), MONTHS_AHEAD):
        raise ValidationError({field: _("月份不能晚于%(months)s个月以后") % {"months": MONTHS_AHEAD}})
    return month


def money(value, field: str, *, allow_zero: bool = False) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("请输入有效金额，如 45.68")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("请输入有效金额，如 45.68")})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("金额必须大于0") if not allow_zero else _("金额不能为负数")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("金额最多保留两位小数（到分）")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("金额过大（不能超过%(max)s元），请核对") % {"max": MAX_AMOUNT}})
    return amount + 0  # -0.00 becomes 0.00


def membership_in_scope(user, person_id: int, perm: str = CHANGE) -> Membership:
    membership = (
        Membership.objects.current()
        .visible_to(user, perm)
        .select_related("person", "organization")
        .filter(person_id=person_id)
        .first()
    )
    if membership is None:
        raise Http404(_("对象不存在"))
    return membership


def _account(user, membership: Membership) -> DuesAccount:
    """The member's account, created on first use, locked for the rest of the transaction."""
    account, created = DuesAccount.objects.get_or_create(person=membership.person, defaults={"created_by": user})
    if created:
        record("create", account, after=snapshot(account))
        return account
    return DuesAccount.objects.select_for_update().get(pk=account.pk)


def set_base(
    user, person_id: int, month: date, category: str, monthly_base, *, source: str = BaseSource.MANUAL
) -> DuesBase:
    """Category and base from ``month`` on ("从领取新工资的当月起"); the same month again corrects that row."""
    with transaction.atomic():
        membership = membership_in_scope(user, person_id)
        return write_base(user, membership, month, category, monthly_base, source=source)


def write_base(user, membership: Membership, month: date, category: str, monthly_base, *, source: str) -> DuesBase:
    if category not in CATEGORIES:
        raise ValidationError({"category": _("请选择党费类别")})
    base = money(monthly_base, "monthly_base", allow_zero=True)
    month = check_month(month, "month")
    account = _account(user, membership)
    row = DuesBase.objects.filter(account=account, month=month).first()
    if row is None:
        row = DuesBase.objects.create(
            account=account, month=month, category=category, monthly_base=base, source=source, recorded_by=user
        )
        record("create", row, after=snapshot(row), detail={"person_id": membership.person_id})
        return row
    if (row.category, row.monthly_base) == (category, base):
        return row
    before = snapshot(row)
    row.category, row.monthly_base, row.source, row.recorded_by = category, base, source, user
    row.save()
    record("update", row, before=before, after=snapshot(row), detail={"person_id": membership.person_id})
    return row


def set_farmer_amount(user, person_id: int, amount) -> DuesAccount:
    """The branch sets a farmer member's monthly dues between 0.20 and 1.00 yuan; blank means the minimum."""
    with transaction.atomic():
        membership = membership_in_scope(user, person_id)
        account = _account(user, membership)
        value = None if amount in (None, "") else money(amount, "farmer_amount")
        if value is not None:
            try:
                dues_for("farmer", Decimal(0), on=timezone.localdate(), farmer_amount=value)
            except ValueError as exc:
                raise ValidationError({"farmer_amount": str(exc)}) from None
        before = snapshot(account)
        account.farmer_amount = value
        account.save()
        record("update", account, before=before, after=snapshot(account))
    return account


def record_payment(user, person_id: int, data: dict) -> DuesPayment:
    """A regular payment for months ``month_from``..``month_to``, or a voluntary extra payment."""
    today = timezone.localdate()
    with transaction.atomic():
        membership = membership_in_scope(user, person_id)
        kind = data.get("kind") or PaymentKind.REGULAR
        if kind not in PaymentKind.values:
            raise ValidationError({"kind": _("请选择交纳类型")})
        amount = money(data.get("amount"), "amount")
        paid_on = data.get("paid_on")
        if not isinstance(paid_on, date):
            raise ValidationError({"paid_on": _("请填写交纳日期")})
        if paid_on > today:
            raise ValidationError({"paid_on": _("交纳日期不能晚于今天")})
        check_month(paid_on, "paid_on")
        method = data.get("method") or PaymentMethod.CASH
        if method not in PaymentMethod.values:
            raise ValidationError({"method": _("请选择交纳方式")})
        if kind == PaymentKind.VOLUNTARY:
            m_from = m_to = month_start(paid_on)
        else:
            typed_from, typed_to = data.get("month_from"), data.get("month_to")
            if not isinstance(typed_from, date) or not isinstance(typed_to, date):
                raise ValidationError({"month_from": _("请填写所交党费的起止月份")})
            m_from, m_to = month_start(typed_from), month_start(typed_to)
            _check_months(membership, m_from, m_to)
        receipt = (data.get("receipt_number") or "").strip()
        if receipt and DuesPayment.objects.filter(receipt_number=receipt).exists():
            raise ValidationError({"receipt_number": _("收据编号 %(receipt)s 已登记过，请核对") % {"receipt": receipt}})
        account = _account(user, membership)
        payment = DuesPayment.objects.create(
            account=account,
            kind=kind,
            amount=amount,
            month_from=m_from,
            month_to=m_to,
            method=method,
            receipt_number=receipt,
            paid_on=paid_on,
            note=(data.get("note") or "").strip()[:200],
            recorded_by=user,
        )
        detail = {"person_id": person_id, "to_centre": is_for_centre(kind, amount, paid_on)}
        record("create", payment, after=snapshot(payment), detail=detail)
    return payment


def _check_months(membership: Membership, m_from: date, m_to: date) -> None:
    check_month(m_from, "month_from")
    check_month(m_to, "month_to")
    if m_to < m_from:
        raise ValidationError({"month_to": _("截止月份不能早于起始月份")})
    span = (m_to.year - m_from.year) * 12 + m_to.month - m_from.month + 1
    if span > MAX_PAYMENT_MONTHS:
        raise ValidationError({"month_to": _("一次最多登记%(months)s个月的党费") % {"months": MAX_PAYMENT_MONTHS}})
    start = start_month(membership.admitted_on)
    if start is None:
        raise ValidationError({"month_from": _("该党员缺少入党日期，无法确定党费起交月份，请先补全组织关系信息")})
    if m_from < start:
        rule = DUES_RULES.rule("dues.start", m_from)
        raise ValidationError(
            {
                "month_from": _("党费从%(month)s（入党当月）起交纳（%(citation)s）")
                % {"month": label(start), "citation": rule.citation}
            }
        )


def void_payment(user, payment_id: int, reason: str) -> DuesPayment:
    """A wrong entry is voided with a reason and stays visible in the history; it is never erased."""
    with transaction.atomic():
        payment = DuesPayment.objects.visible_to(user, CHANGE).select_for_update().filter(pk=payment_id).first()
        if payment is None:
            raise Http404(_("对象不存在"))
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("请填写作废原因")})
        before = snapshot(payment)
        payment.mark_deleted(user)
        payment.void_reason = reason[:200]
        payment.save()
        record("delete", payment, before=before, after=snapshot(payment), detail={"reason": reason})
    return payment


def request_relief(user, person_id: int, data: dict) -> DuesRelief:
    """The branch's decision to reduce or waive dues, sent to the 党委 above it for approval."""
    with transaction.atomic():
        membership = membership_in_scope(user, person_id)
        kind = data.get("kind")
        if kind not in ReliefKind.values:
            raise ValidationError({"kind": _("请选择少交或免交")})
        m_from, m_to = data.get("month_from"), data.get("month_to")
        if not isinstance(m_from, date) or not isinstance(m_to, date):
            raise ValidationError({"month_from": _("请填写减免的起止月份")})
        m_from, m_to = check_month(m_from, "month_from"), check_month(m_to, "month_to")
        if m_to < m_from:
            raise ValidationError({"month_to": _("截止月份不能早于起始月份")})
        if months_between(m_from, m_to) > MAX_RELIEF_MONTHS:
            raise ValidationError({"month_to": _("一次最多申请%(months)s个月的减免") % {"months": MAX_RELIEF_MONTHS}})
        start = start_month(membership.admitted_on)
        if start is None or m_from < start:
            raise ValidationError({"month_from": _("减免月份不能早于党费起交月份")})
        amount = None
        if kind == ReliefKind.REDUCE:
            if data.get("monthly_amount") in (None, ""):
                raise ValidationError({"monthly_amount": _("少交党费须填写减免后每月应交金额")})
            amount = money(data["monthly_amount"], "monthly_amount", allow_zero=False)
        reason = (data.get("reason") or "").strip()
        if not reason:
            raise ValidationError({"reason": _("请填写理由和支部决定情况")})
        account = _account(user, membership)
        overlapping = DuesRelief.objects.filter(
            account=account,
            status__in=(ReliefStatus.REQUESTED, ReliefStatus.APPROVED),
            month_from__lte=m_to,
            month_to__gte=m_from,
        )
        if overlapping.exists():
            raise ValidationError({"month_from": _("这些月份已有待审批或已批准的减免")})
        relief = DuesRelief.objects.create(
            account=account,
            branch=membership.organization,
            kind=kind,
            month_from=m_from,
            month_to=m_to,
            monthly_amount=amount,
            reason=reason,
            requested_by=user,
        )
        record("create", relief, after=snapshot(relief), detail={"person_id": person_id})
    return relief


def committee_above(branch: Organization, cache: dict | None = None) -> str | None:
    """The path of the nearest 党委 above ``branch``: the 上一级党委 that approves relief (2008 规定 第七条).

    A 党总支 between them is skipped: it is not a 党委. None when no 党委 stands above the branch.
    """
    if cache is not None and branch.path in cache:
        return cache[branch.path]
    steplen = branch.steplen
    ancestors = [branch.path[: steplen * n] for n in range(1, len(branch.path) // steplen)]  # cut, no prefix query
    path = (
        Organization.objects.filter(path__in=ancestors, kind=OrgKind.COMMITTEE)
        .order_by("-depth")
        .values_list("path", flat=True)
        .first()
    )
    if cache is not None:
        cache[branch.path] = path
    return path


def can_decide(user, relief: DuesRelief) -> bool:
    """``dues.relief`` over the nearest 党委 above the branch (its secretary or the office), never a 党总支's alone:
    "报上一级党委批准" (2008 规定 第七条). Answers for a page of requests with one query per branch."""
    cache = user.__dict__.setdefault("_dangjian_committee_above", {})
    committee = committee_above(relief.branch, cache)
    return committee is not None and can_at_path(user, RELIEF, committee) and relief.requested_by_id != user.pk


def decide_relief(user, relief_id: int, approve: bool, note: str = "") -> DuesRelief:
    with transaction.atomic():
        relief = (
            DuesRelief.objects.visible_to(user, CHANGE)
            .select_for_update(of=("self",))
            .select_related("branch")
            .filter(pk=relief_id)
            .first()
        )
        if relief is None:
            raise Http404(_("对象不存在"))
        if relief.status != ReliefStatus.REQUESTED:
            raise ValidationError(_("该申请%(status)s，不能再次审批") % {"status": relief.get_status_display()})
        if relief.requested_by_id == user.pk:
            raise ValidationError(_("不能审批自己提交的减免申请"))
        if not can_decide(user, relief):
            rule = DUES_RULES.rule("dues.relief_approval", relief.month_from)
            if committee_above(relief.branch) is None:
                raise ValidationError(
                    _("该党支部上级没有党委，无法审批党费减免（%(citation)s）") % {"citation": rule.citation}
                )
            raise ValidationError(
                _("党费减免须报上一级党委（党委书记或党委办公室）批准，党支部、党总支不能审批（%(citation)s）")
                % {"citation": rule.citation}
            )
        note = (note or "").strip()
        if not approve and not note:
            raise ValidationError({"note": _("不批准时请填写意见")})
        before = snapshot(relief)
        relief.status = ReliefStatus.APPROVED if approve else ReliefStatus.REJECTED
        relief.decided_by, relief.decided_at, relief.decision_note = user, timezone.now(), note[:200]
        relief.save()
        record("update", relief, before=before, after=snapshot(relief), detail={"decision": relief.status})
    return relief
