"""Checks for the development of new members (RULES.md §2). Pure: no Django imports.

Every check returns a ``Check`` (ok/blocked, reason, citation); every computed date a ``DueDate``. Reasons and errors
are ``core.lazytext`` messages: Chinese text that renders in the active language where it is shown.
Numbers come from the rule table version in force on the date that governs the rule:

* deadlines ("within"): the day the clock starts (application, branch meeting) — the applicant's deadline is
  fixed when the application arrives;
* eligibility ("at least", "must be"): the day of the decision being judged (confirming a candidate, assigning
  sponsors, the training);
* probation and its extension: the day of the admission meeting.

Calendar arithmetic (see ``periods``): a period of n months/years ends on the corresponding day, or on the last
day of the month when there is none (民法典 第202条); "满/以上" is met on that day, "以内" still holds on it.
Invalid input (wrong types, negative amounts, dates in the wrong order) raises ``RuleError`` (a ``ValueError``); a date
before the first table version raises ``LookupError`` from the rule table.

Local (L) rules are off unless the office turns them on (RULES.md): each has an ``*_enabled`` switch, and an
``*_blocks`` choice between blocking the step (the office may override) and only warning (``Check.warning``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from numbers import Real

from dangjian.core.lazytext import N_, Message, RuleError
from dangjian.core.ruletable import Rule, RuleSource
from dangjian.rules.majority import more_than_half

from .periods import add_months, add_years
from .rule_data import DEVELOPMENT_RULES
from .steps import Step


@dataclass(frozen=True)
class Check:
    ok: bool
    reason: str
    citation: str
    rule_key: str
    is_regulation: bool  # False: show as "organisation setting" (S/L/U)
    warning: bool = False  # ok, but a rule the office set to warn rather than block is not met

    @property
    def blocked(self) -> bool:
        return not self.ok

    def __bool__(self) -> bool:
        return self.ok


@dataclass(frozen=True)
class DueDate:
    on: date
    reason: str
    citation: str
    rule_key: str
    is_regulation: bool


@dataclass(frozen=True)
class SponsorInfo:
    """A proposed sponsor (入党介绍人) or training contact (培养联系人)."""

    name: str
    is_full_member: bool  # 正式党员 (not probationary)
    on_party_probation: bool = False  # 留党察看 (the sanction, not 预备期) and rights not yet restored
    person_id: int | str | None = None


def _date(value: object, label: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise RuleError(N_("%(label)s应为日期（不含时间）：%(value)r"), label=label, value=value)
    return value


def _not_before(later: date, earlier: date, later_label: str, earlier_label: str) -> None:
    if later < earlier:
        raise RuleError(
            N_("%(later_label)s %(later)s 早于%(earlier_label)s %(earlier)s"),
            later_label=later_label,
            later=later,
            earlier_label=earlier_label,
            earlier=earlier,
        )


def _check(ok: bool, reason: str, rule: Rule) -> Check:
    # the reason does not name its source: every display adds "（citation）", which for a local rule is 本单位设置
    return Check(ok, reason, rule.citation, rule.key, rule.is_regulation)


def _local(reason: str, rule: Rule, blocks: bool) -> Check:
    """A local rule that is on and not met: blocked, or only a warning, as the office chose."""
    if blocks:
        return _check(False, reason, rule)
    hint = Message(N_("%(reason)s（仅提示）"), reason=reason)
    return Check(True, hint, rule.citation, rule.key, rule.is_regulation, warning=True)


def _due(on: date, reason: str, rule: Rule) -> DueDate:
    return DueDate(on, reason, rule.citation, rule.key, rule.is_regulation)


def _number(value: object, label: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise RuleError(N_("%(label)s应为数字：%(value)r"), label=label, value=value)
    number = Decimal(str(value))
    if not number.is_finite() or number < 0:
        raise RuleError(N_("%(label)s不能为负数或非有限数：%(value)r"), label=label, value=value)
    return number


# --- 申请入党 ---------------------------------------------------------------------------------------------------


def age_ok(birth_date: date, applied_on: date, *, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """年满十八岁 on the application day; the 18th birthday itself counts (29 Feb → 28 Feb in a common year)."""
    birth_date = _date(birth_date, N_("出生日期"))
    applied_on = _date(applied_on, N_("申请日期"))
    _not_before(applied_on, birth_date, N_("申请日期"), N_("出生日期"))
    rule = table.rule("applicant.min_age_years", applied_on)
    of_age = add_years(birth_date, rule.value)
    if applied_on >= of_age:
        return _check(
            True, Message(N_("递交申请时已年满%(years)s周岁（%(of_age)s 起）"), years=rule.value, of_age=of_age), rule
        )
    return _check(
        False,
        Message(N_("递交申请时未满%(years)s周岁，%(of_age)s 起方可申请入党"), years=rule.value, of_age=of_age),
        rule,
    )


def talk_in_time(applied_on: date, talked_on: date, *, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """谈话 within 1 month of receiving the application; the corresponding day a month later is still in time."""
    applied_on = _date(applied_on, N_("申请日期"))
    talked_on = _date(talked_on, N_("谈话日期"))
    _not_before(talked_on, applied_on, N_("谈话日期"), N_("申请日期"))
    rule = table.rule("talk.within_months", applied_on)
    deadline = add_months(applied_on, rule.value)
    if talked_on <= deadline:
        return _check(
            True,
            Message(
                N_("已在收到入党申请书后%(months)s个月内谈话（期限 %(deadline)s）"),
                months=rule.value,
                deadline=deadline,
            ),
            rule,
        )
    return _check(
        False,
        Message(
            N_("谈话晚于期限：应在 %(deadline)s 前（含当日）谈话，实际 %(talked_on)s"),
            deadline=deadline,
            talked_on=talked_on,
        ),
        rule,
    )


# --- 入党积极分子 -------------------------------------------------------------------------------------------------


def activist_wait_ok(applied_on: date, activist_on: date, *, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """Local rule (L), off by default: an applicant becomes an activist only after waiting n months from the
    application. No national rule sets such a wait (细则 第7、8条 none), so it applies only when the office turns on
    ``activist.wait_after_application_enabled``; ``..._blocks`` then chooses blocking or a warning."""
    applied_on = _date(applied_on, N_("申请日期"))
    activist_on = _date(activist_on, N_("确定入党积极分子日期"))
    _not_before(activist_on, applied_on, N_("确定入党积极分子日期"), N_("申请日期"))
    switch = table.rule("activist.wait_after_application_enabled", activist_on)
    if not switch.value:
        return _check(True, N_("本单位未设置递交申请书后的等待期（条例无此要求）"), switch)
    rule = table.rule("activist.wait_after_application_months", activist_on)
    earliest = add_months(applied_on, rule.value)
    if activist_on >= earliest:
        return _check(
            True,
            Message(N_("递交申请书已满%(months)s个月（%(earliest)s 起）"), months=rule.value, earliest=earliest),
            rule,
        )
    reason = Message(
        N_("递交申请书未满%(months)s个月，%(earliest)s 起方可确定为入党积极分子"), months=rule.value, earliest=earliest
    )
    return _local(reason, rule, table.value("activist.wait_after_application_blocks", activist_on))


def next_review_due(last_review_on: date, *, table: RuleSource = DEVELOPMENT_RULES) -> DueDate:
    """The next half-yearly review of an activist, counted from the activist date or the last review."""
    last_review_on = _date(last_review_on, N_("上次考察日期"))
    rule = table.rule("activist.review_interval_months", last_review_on)
    due = add_months(last_review_on, rule.value)
    return _due(
        due, Message(N_("党支部每%(months)s个月考察一次，下次考察应不晚于 %(due)s"), months=rule.value, due=due), rule
    )


def reviews_ok(
    activist_on: date, candidate_on: date, reviews: Sequence[date], *, table: RuleSource = DEVELOPMENT_RULES
) -> Check:
    """党支部每半年考察一次 (第11条): the half-yearly reviews are all present on the day the candidate is confirmed.

    Precisely, with n = ``activist.review_interval_months`` (in force on ``candidate_on``): only reviews dated from
    the activist date to the candidate date (both included) count; starting from the activist date, each review
    must follow the previous one (or the activist date) by at most n months — the day n months later is still in
    time — and the candidate date must be at most n months after the last review. So a gap longer than n months
    anywhere between the activist date and the candidate date blocks, and names the half-year that has no review.
    """
    activist_on = _date(activist_on, N_("确定入党积极分子日期"))
    candidate_on = _date(candidate_on, N_("确定发展对象日期"))
    _not_before(candidate_on, activist_on, N_("确定发展对象日期"), N_("确定入党积极分子日期"))
    if isinstance(reviews, str | bytes) or not isinstance(reviews, Sequence | set | frozenset):
        raise RuleError(N_("考察日期应为日期列表"))
    dates = sorted({_date(r, N_("考察日期")) for r in reviews})
    rule = table.rule("activist.review_interval_months", candidate_on)
    n = rule.value
    previous, count = activist_on, 0
    for reviewed_on in (d for d in dates if activist_on <= d <= candidate_on):
        due = add_months(previous, n)
        if reviewed_on > due:
            return _check(
                False,
                Message(
                    N_("缺少半年考察：%(previous)s 至 %(due)s 期间无考察记录（下一次考察在 %(reviewed_on)s）"),
                    previous=previous,
                    due=due,
                    reviewed_on=reviewed_on,
                ),
                rule,
            )
        previous, count = reviewed_on, count + 1
    due = add_months(previous, n)
    if candidate_on > due:
        return _check(
            False,
            Message(
                N_(
                    "缺少半年考察：%(previous)s 至 %(due)s 期间无考察记录，党支部应每%(months)s个月考察一次入党积极分子"
                ),
                previous=previous,
                due=due,
                months=n,
            ),
            rule,
        )
    return _check(
        True, Message(N_("党支部每%(months)s个月考察一次，已考察 %(count)s 次，无缺漏"), months=n, count=count), rule
    )


def training_contacts_ok(contacts: Sequence[SponsorInfo], *, on: date, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """1–2 training contacts, all full members."""
    on = _date(on, N_("指定日期"))
    contacts = _people(contacts, N_("培养联系人"))
    low = table.rule("training_contact.min_count", on)
    high = table.rule("training_contact.max_count", on)
    if not low.value <= len(contacts) <= high.value:
        return _check(
            False,
            Message(
                N_("应指定%(low)s至%(high)s名培养联系人，现有 %(count)s 名"),
                low=low.value,
                high=high.value,
                count=len(contacts),
            ),
            low,
        )
    not_full = [c.name for c in contacts if not c.is_full_member]
    if not_full:
        return _check(
            False, Message(N_("培养联系人应为正式党员：%(names)s 不是正式党员"), names="、".join(not_full)), low
        )
    return _check(True, Message(N_("已指定%(count)s名正式党员作培养联系人"), count=len(contacts)), low)


# --- 发展对象 -----------------------------------------------------------------------------------------------------


def activist_year_done(activist_on: date, candidate_on: date, *, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """一年以上: at least one full year as activist; 以上 includes the number, so the anniversary itself is enough.

    满一年 is reached on the corresponding day a year later, or on 28 February when the activist date was
    29 February (民法典 第202条): 2024-02-29 → 2025-02-28; 2023-02-28 → 2024-02-28 (so 2024-02-29 is fine).
    """
    activist_on = _date(activist_on, N_("确定入党积极分子日期"))
    candidate_on = _date(candidate_on, N_("确定发展对象日期"))
    _not_before(candidate_on, activist_on, N_("确定发展对象日期"), N_("确定入党积极分子日期"))
    rule = table.rule("candidate.min_activist_years", candidate_on)
    earliest = add_years(activist_on, rule.value)
    if candidate_on >= earliest:
        return _check(
            True,
            Message(
                N_("培养教育考察已满%(years)s年（%(activist_on)s 至 %(earliest)s）"),
                years=rule.value,
                activist_on=activist_on,
                earliest=earliest,
            ),
            rule,
        )
    return _check(
        False,
        Message(
            N_("培养教育考察未满%(years)s年：%(activist_on)s 确定为入党积极分子，%(earliest)s 起方可列为发展对象"),
            years=rule.value,
            activist_on=activist_on,
            earliest=earliest,
        ),
        rule,
    )


def _people(people: Sequence[SponsorInfo], label: str) -> list[SponsorInfo]:
    if isinstance(people, str | bytes) or not isinstance(people, Sequence):
        raise RuleError(N_("%(label)s应为列表"), label=label)
    for person in people:
        if not isinstance(person, SponsorInfo):
            raise RuleError(N_("%(label)s信息格式错误：%(value)r"), label=label, value=person)
    return list(people)


def sponsor_eligible(sponsor: SponsorInfo, *, on: date, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """One proposed sponsor, judged when named (细则 第14条: 入党介绍人……应当是正式党员; 受留党察看处分、尚未恢复
    党员权利的党员，不能作入党介绍人). ``sponsors_ok`` judges the pair again when step 9 is recorded."""
    on = _date(on, N_("指定日期"))
    (sponsor,) = _people([sponsor], N_("入党介绍人"))
    rule = table.rule("sponsor.required_count", on)
    if not sponsor.is_full_member:
        return _check(False, Message(N_("入党介绍人应为正式党员：%(names)s 不是正式党员"), names=sponsor.name), rule)
    if sponsor.on_party_probation:
        return _check(
            False,
            Message(N_("受留党察看处分、尚未恢复党员权利的党员不能作入党介绍人：%(names)s"), names=sponsor.name),
            rule,
        )
    return _check(True, Message(N_("%(name)s 是正式党员，可作入党介绍人"), name=sponsor.name), rule)


def sponsors_ok(sponsors: Sequence[SponsorInfo], *, on: date, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """Exactly 2 different sponsors, full members, none under 留党察看 without restored rights."""
    on = _date(on, N_("确定入党介绍人日期"))
    sponsors = _people(sponsors, N_("入党介绍人"))
    rule = table.rule("sponsor.required_count", on)
    if len(sponsors) != rule.value:
        return _check(
            False,
            Message(N_("应有%(required)s名入党介绍人，现有 %(count)s 名"), required=rule.value, count=len(sponsors)),
            rule,
        )
    keys = [s.person_id if s.person_id is not None else s.name for s in sponsors]
    if len(set(keys)) != len(keys):
        return _check(False, N_("入党介绍人不能是同一人"), rule)
    not_full = [s.name for s in sponsors if not s.is_full_member]
    if not_full:
        return _check(
            False, Message(N_("入党介绍人应为正式党员：%(names)s 不是正式党员"), names="、".join(not_full)), rule
        )
    on_probation = [s.name for s in sponsors if s.on_party_probation]
    if on_probation:
        return _check(
            False,
            Message(
                N_("受留党察看处分、尚未恢复党员权利的党员不能作入党介绍人：%(names)s"), names="、".join(on_probation)
            ),
            rule,
        )
    return _check(True, Message(N_("%(count)s名正式党员作入党介绍人"), count=rule.value), rule)


def training_ok(
    days: float | Decimal | None, hours: float | Decimal | None, *, on: date, table: RuleSource = DEVELOPMENT_RULES
) -> Check:
    """集中培训 ≥3 days **or** ≥24 class hours (either suffices); ``None`` means not recorded."""
    on = _date(on, N_("培训结束日期"))
    days_n = _number(days, N_("培训天数"))
    hours_n = _number(hours, N_("培训学时"))
    min_days = table.rule("training.min_days", on)
    min_hours = table.rule("training.min_hours", on)
    if days_n is not None and days_n >= min_days.value:
        return _check(
            True,
            Message(N_("集中培训 %(days)s 天，不少于%(min_days)s天"), days=days_n, min_days=min_days.value),
            min_days,
        )
    if hours_n is not None and hours_n >= min_hours.value:
        return _check(
            True,
            Message(N_("集中培训 %(hours)s 学时，不少于%(min_hours)s学时"), hours=hours_n, min_hours=min_hours.value),
            min_hours,
        )
    if days_n is None and hours_n is None:
        return _check(False, N_("未记录集中培训的天数或学时"), min_days)
    return _check(
        False,
        Message(
            N_("集中培训不足：应不少于%(min_days)s天或%(min_hours)s学时，实际 %(days)s 天、%(hours)s 学时"),
            min_days=min_days.value,
            min_hours=min_hours.value,
            days=days_n if days_n is not None else "—",
            hours=hours_n if hours_n is not None else "—",
        ),
        min_days,
    )


# --- 接收预备党员 ---------------------------------------------------------------------------------------------------


def pre_review_leave_ok(pre_review_on: date, leaves_on: date | None, *, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """细则 第19条: "发展对象未来3个月内将离开工作、学习单位的，一般不办理接收预备党员的手续".

    Judged on the day of 预审 and of each later admission decision (``pre_review_on`` is that day): a departure
    on or before the day n months later (以内 still holds on it) — or one already past — blocks; 一般 (generally)
    is the office's override. ``None``: no departure recorded.
    """
    pre_review_on = _date(pre_review_on, N_("办理日期"))
    rule = table.rule("pre_review.leave_window_months", pre_review_on)
    if leaves_on is None:
        return _check(True, N_("未登记预计离开工作、学习单位的日期"), rule)
    leaves_on = _date(leaves_on, N_("预计离开单位日期"))
    window_end = add_months(pre_review_on, rule.value)
    if leaves_on <= window_end:
        return _check(
            False,
            Message(
                N_(
                    "发展对象预计 %(leaves_on)s 离开工作、学习单位，在 %(on)s 起%(months)s个月内（至 %(window_end)s），"
                    "一般不办理接收预备党员的手续；确需办理的，由党委组织部门例外放行"
                ),
                leaves_on=leaves_on,
                on=pre_review_on,
                months=rule.value,
                window_end=window_end,
            ),
            rule,
        )
    return _check(
        True,
        Message(
            N_("预计 %(leaves_on)s 离开工作、学习单位，不在%(months)s个月内（至 %(window_end)s）"),
            leaves_on=leaves_on,
            months=rule.value,
            window_end=window_end,
        ),
        rule,
    )


def meeting_after_pre_review_ok(
    pre_review_on: date, meeting_on: date, *, table: RuleSource = DEVELOPMENT_RULES
) -> Check | None:
    """Local rule (L), off by default: the branch meeting within n months of 预审. None while the office has not
    turned it on; on, a late meeting is blocked or only warned of as the office chose."""
    pre_review_on = _date(pre_review_on, N_("预审日期"))
    meeting_on = _date(meeting_on, N_("支部大会日期"))
    if not table.value("admission.meeting_after_pre_review_enabled", pre_review_on):
        return None
    rule = table.rule("admission.meeting_after_pre_review_months", pre_review_on)
    deadline = add_months(pre_review_on, rule.value)
    if meeting_on <= deadline:
        return _check(
            True,
            Message(
                N_("已在预审后%(months)s个月内召开支部大会（期限 %(deadline)s）"), months=rule.value, deadline=deadline
            ),
            rule,
        )
    reason = Message(
        N_("预审后%(months)s个月内未召开支部大会：期限 %(deadline)s，实际 %(meeting_on)s"),
        months=rule.value,
        deadline=deadline,
        meeting_on=meeting_on,
    )
    return _local(reason, rule, table.value("admission.meeting_after_pre_review_blocks", pre_review_on))


def vote_passes(
    due: int | None,
    present: int | None,
    yes: int | None,
    *,
    written_yes: int = 0,
    on: date,
    table: RuleSource = DEVELOPMENT_RULES,
) -> Check:
    """The branch members' meeting on admission or conversion (第20、21、33条).

    ``due``: full members with voting rights due to attend. Quorum: present > due / 2 (到会超过半数); passes:
    yes > due / 2 — half of those **due to attend**, not of those present; both strictly more than half.
    ``written_yes``: 因故不能到会的有表决权的正式党员，在支部大会召开前正式向党支部提出书面意见的，应当统计在票数内
    (第21条): their yes votes count towards passing, but they are not present (6 present + 1 written yes of
    12 due: quorum met, 7 yes passes).
    """
    on = _date(on, N_("支部大会日期"))
    rule = table.rule("vote.majority_denominator_count", on)
    if due is None or present is None or yes is None:
        return _check(False, N_("请填写应到、实到有表决权的正式党员人数和赞成票数"), rule)
    for value, label in (
        (due, N_("应到人数")),
        (present, N_("实到人数")),
        (yes, N_("赞成票数")),
        (written_yes, N_("书面意见赞成票数")),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RuleError(N_("%(label)s应为非负整数：%(value)r"), label=label, value=value)
    if present > due:
        raise RuleError(N_("实到人数 %(present)s 不能多于应到人数 %(due)s"), present=present, due=due)
    if yes > present:
        raise RuleError(N_("赞成票数 %(yes)s 不能多于实到人数 %(present)s"), yes=yes, present=present)
    if present + written_yes > due:
        raise RuleError(
            N_("实到人数 %(present)s 与书面意见赞成票数 %(written)s 之和不能多于应到人数 %(due)s"),
            present=present,
            written=written_yes,
            due=due,
        )
    if due == 0 or not more_than_half(present, due):
        reason = Message(
            N_("到会有表决权的正式党员未超过应到人数的半数（应到 %(due)s，实到 %(present)s），不能表决"),
            due=due,
            present=present,
        )
        return _check(False, reason, rule)
    total = yes + written_yes
    counted = (
        Message(N_("赞成 %(total)s 票（含书面意见 %(written)s 票）"), total=total, written=written_yes)
        if written_yes
        else Message(N_("赞成 %(yes)s 票"), yes=yes)
    )
    if not more_than_half(total, due):
        return _check(
            False,
            Message(
                N_("赞成人数未超过应到会有表决权正式党员的半数（应到 %(due)s，%(counted)s），未通过"),
                due=due,
                counted=counted,
            ),
            rule,
        )
    return _check(
        True,
        Message(
            N_("应到 %(due)s 人，实到 %(present)s 人，%(counted)s，超过应到人数的半数，通过"),
            due=due,
            present=present,
            counted=counted,
        ),
        rule,
    )


def approval_in_time(
    meeting_on: date, approved_on: date, *, special_case: bool = False, table: RuleSource = DEVELOPMENT_RULES
) -> Check:
    """Upper committee approves admission within 3 months of the branch meeting (special cases ≤ 6 months)."""
    meeting_on = _date(meeting_on, N_("支部大会日期"))
    approved_on = _date(approved_on, N_("审批日期"))
    _not_before(approved_on, meeting_on, N_("审批日期"), N_("支部大会日期"))
    rule = table.rule(
        "admission.approval_special_max_months" if special_case else "admission.approval_within_months", meeting_on
    )
    deadline = add_months(meeting_on, rule.value)
    if approved_on <= deadline:
        in_time = (
            N_("特殊情况下已在支部大会后%(months)s个月内审批（期限 %(deadline)s）")
            if special_case
            else N_("已在支部大会后%(months)s个月内审批（期限 %(deadline)s）")
        )
        return _check(True, Message(in_time, months=rule.value, deadline=deadline), rule)
    if special_case:
        late = N_("审批超期：特殊情况下应在 %(deadline)s 前（含当日）完成，实际 %(approved_on)s")
    else:
        late = N_("审批超期：应在 %(deadline)s 前（含当日）完成，实际 %(approved_on)s")
    special = table.rule("admission.approval_special_max_months", meeting_on)
    if not special_case and approved_on <= add_months(meeting_on, special.value):
        late = N_(
            "审批超期：应在 %(deadline)s 前（含当日）完成，实际 %(approved_on)s；如属特殊情况，可不超过%(special)s个月"
        )
    return _check(False, Message(late, deadline=deadline, approved_on=approved_on, special=special.value), rule)


def probation_end(
    admitted_meeting_on: date, extensions: Sequence[int] = (), *, table: RuleSource = DEVELOPMENT_RULES
) -> DueDate:
    """End of probation: one year from the admitting branch meeting, plus the single extension (6–12 months).

    The extension is counted from the end of the regular year. On the returned day the probation is complete
    (预备期满), which is also the day party standing starts.
    """
    admitted_meeting_on = _date(admitted_meeting_on, N_("支部大会通过日期"))
    if isinstance(extensions, str | bytes) or not isinstance(extensions, Sequence):
        raise RuleError(N_("延长预备期应为月数列表"))
    on = admitted_meeting_on
    years = table.rule("probation.duration_years", on)
    max_ext = table.rule("probation.max_extensions_count", on)
    low = table.rule("probation.extension_min_months", on)
    high = table.rule("probation.extension_max_months", on)
    if len(extensions) > max_ext.value:
        raise RuleError(
            N_("预备期只能延长%(times)s次，不能再次延长（%(citation)s）"),
            times=max_ext.value,
            citation=max_ext.citation,
        )
    end = add_years(admitted_meeting_on, years.value)
    if not extensions:
        return _due(
            end,
            Message(
                N_("预备期%(years)s年，自支部大会通过之日 %(start)s 算起，至 %(end)s 期满"),
                years=years.value,
                start=admitted_meeting_on,
                end=end,
            ),
            years,
        )
    months = extensions[0]
    if isinstance(months, bool) or not isinstance(months, int):
        raise RuleError(N_("延长预备期应为整月数：%(value)r"), value=months)
    if not low.value <= months <= high.value:
        raise RuleError(
            N_("延长预备期应不少于%(low)s个月、不超过%(high)s个月，不能延长 %(months)s 个月（%(citation)s）"),
            low=low.value,
            high=high.value,
            months=months,
            citation=low.citation,
        )
    extended = add_months(end, months)
    return _due(
        extended,
        Message(
            N_("预备期%(years)s年于 %(end)s 届满，延长%(months)s个月，至 %(extended)s 期满"),
            years=years.value,
            end=end,
            months=months,
            extended=extended,
        ),
        low,
    )


def party_standing_starts(probation_end_date: date, *, table: RuleSource = DEVELOPMENT_RULES) -> DueDate:
    """党龄 counts from the day probation ends (预备期满转为正式党员之日)."""
    probation_end_date = _date(probation_end_date, N_("预备期满日期"))
    rule = table.rule("party_standing.offset_days", probation_end_date)
    starts = probation_end_date + timedelta(days=rule.value)
    return _due(starts, Message(N_("党龄从预备期满转为正式党员之日 %(starts)s 算起"), starts=starts), rule)


# --- 转正 ---------------------------------------------------------------------------------------------------------


def conversion_approval_in_time(meeting_on: date, approved_on: date, *, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """Upper committee approves the conversion within 3 months of the branch meeting that voted on it."""
    meeting_on = _date(meeting_on, N_("支部大会日期"))
    approved_on = _date(approved_on, N_("审批日期"))
    _not_before(approved_on, meeting_on, N_("审批日期"), N_("支部大会日期"))
    rule = table.rule("conversion.approval_within_months", meeting_on)
    deadline = add_months(meeting_on, rule.value)
    if approved_on <= deadline:
        return _check(
            True,
            Message(N_("转正审批已在%(months)s个月内完成（期限 %(deadline)s）"), months=rule.value, deadline=deadline),
            rule,
        )
    return _check(
        False,
        Message(
            N_("转正审批超期：应在 %(deadline)s 前（含当日）完成，实际 %(approved_on)s"),
            deadline=deadline,
            approved_on=approved_on,
        ),
        rule,
    )


# --- step windows -------------------------------------------------------------------------------------------------


def _span(key: str, start: date, on: date, table: RuleSource) -> date:
    value = table.value(key, on)
    if key.endswith("_years"):
        return add_years(start, value)
    if key.endswith("_months"):
        return add_months(start, value)
    raise RuleError(N_("规则 %(key)s 不是年或月的期间"), key=key)


def step_window(
    step: Step, previous_on: date, *, on: date | None = None, table: RuleSource = DEVELOPMENT_RULES
) -> tuple[date | None, date | None]:
    """(earliest, latest) day for ``step`` given the date of the step its interval is counted from.

    ``on`` picks the rule version (defaults to ``previous_on``). Steps without an interval give (None, None).
    """
    previous_on = _date(previous_on, N_("前序步骤日期"))
    on = previous_on if on is None else _date(on, N_("规则日期"))
    if step.interval is None:
        return (None, None)
    interval = step.interval
    if interval.enabled_key and not table.value(interval.enabled_key, on):
        return (None, None)  # a local bound the office has not turned on: no earliest day, no deadline
    earliest = _span(interval.min_key, previous_on, on, table) if interval.min_key else None
    latest = _span(interval.max_key, previous_on, on, table) if interval.max_key else None
    return (earliest, latest)
