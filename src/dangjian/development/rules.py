"""Checks for the development of new members (RULES.md §2). Pure: no Django imports.

Every check returns a ``Check`` (ok/blocked, Chinese reason, citation); every computed date a ``DueDate``.
Numbers come from the rule table version in force on the date that governs the rule:

* deadlines ("within"): the day the clock starts (application, branch meeting) — the applicant's deadline is
  fixed when the application arrives;
* eligibility ("at least", "must be"): the day of the decision being judged (confirming a candidate, assigning
  sponsors, the training);
* probation and its extension: the day of the admission meeting.

Calendar arithmetic (see ``periods``): a period of n months/years ends on the corresponding day, or on the last
day of the month when there is none (民法典 第202条); "满/以上" is met on that day, "以内" still holds on it.
Invalid input (wrong types, negative amounts, dates in the wrong order) raises ``ValueError`` in Chinese; a date
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
        raise ValueError(f"{label}应为日期（不含时间）：{value!r}")
    return value


def _not_before(later: date, earlier: date, later_label: str, earlier_label: str) -> None:
    if later < earlier:
        raise ValueError(f"{later_label} {later} 早于{earlier_label} {earlier}")


def _check(ok: bool, reason: str, rule: Rule) -> Check:
    # the reason does not name its source: every display adds "（citation）", which for a local rule is 本单位设置
    return Check(ok, reason, rule.citation, rule.key, rule.is_regulation)


def _local(reason: str, rule: Rule, blocks: bool) -> Check:
    """A local rule that is on and not met: blocked, or only a warning, as the office chose."""
    if blocks:
        return _check(False, reason, rule)
    return Check(True, f"{reason}（仅提示）", rule.citation, rule.key, rule.is_regulation, warning=True)


def _due(on: date, reason: str, rule: Rule) -> DueDate:
    return DueDate(on, reason, rule.citation, rule.key, rule.is_regulation)


def _number(value: object, label: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise ValueError(f"{label}应为数字：{value!r}")
    number = Decimal(str(value))
    if not number.is_finite() or number < 0:
        raise ValueError(f"{label}不能为负数或非有限数：{value!r}")
    return number


# --- 申请入党 ---------------------------------------------------------------------------------------------------


def age_ok(birth_date: date, applied_on: date, *, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """年满十八岁 on the application day; the 18th birthday itself counts (29 Feb → 28 Feb in a common year)."""
    birth_date = _date(birth_date, "出生日期")
    applied_on = _date(applied_on, "申请日期")
    _not_before(applied_on, birth_date, "申请日期", "出生日期")
    rule = table.rule("applicant.min_age_years", applied_on)
    of_age = add_years(birth_date, rule.value)
    if applied_on >= of_age:
        return _check(True, f"递交申请时已年满{rule.value}周岁（{of_age} 起）", rule)
    return _check(False, f"递交申请时未满{rule.value}周岁，{of_age} 起方可申请入党", rule)


def talk_in_time(applied_on: date, talked_on: date, *, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """谈话 within 1 month of receiving the application; the corresponding day a month later is still in time."""
    applied_on = _date(applied_on, "申请日期")
    talked_on = _date(talked_on, "谈话日期")
    _not_before(talked_on, applied_on, "谈话日期", "申请日期")
    rule = table.rule("talk.within_months", applied_on)
    deadline = add_months(applied_on, rule.value)
    if talked_on <= deadline:
        return _check(True, f"已在收到入党申请书后{rule.value}个月内谈话（期限 {deadline}）", rule)
    return _check(False, f"谈话晚于期限：应在 {deadline} 前（含当日）谈话，实际 {talked_on}", rule)


# --- 入党积极分子 -------------------------------------------------------------------------------------------------


def activist_wait_ok(applied_on: date, activist_on: date, *, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """Local rule (L), off by default: an applicant becomes an activist only after waiting n months from the
    application. No national rule sets such a wait (细则 第7、8条 none), so it applies only when the office turns on
    ``activist.wait_after_application_enabled``; ``..._blocks`` then chooses blocking or a warning."""
    applied_on = _date(applied_on, "申请日期")
    activist_on = _date(activist_on, "确定入党积极分子日期")
    _not_before(activist_on, applied_on, "确定入党积极分子日期", "申请日期")
    switch = table.rule("activist.wait_after_application_enabled", activist_on)
    if not switch.value:
        return _check(True, "本单位未设置递交申请书后的等待期（条例无此要求）", switch)
    rule = table.rule("activist.wait_after_application_months", activist_on)
    earliest = add_months(applied_on, rule.value)
    if activist_on >= earliest:
        return _check(True, f"递交申请书已满{rule.value}个月（{earliest} 起）", rule)
    reason = f"递交申请书未满{rule.value}个月，{earliest} 起方可确定为入党积极分子"
    return _local(reason, rule, table.value("activist.wait_after_application_blocks", activist_on))


def next_review_due(last_review_on: date, *, table: RuleSource = DEVELOPMENT_RULES) -> DueDate:
    """The next half-yearly review of an activist, counted from the activist date or the last review."""
    last_review_on = _date(last_review_on, "上次考察日期")
    rule = table.rule("activist.review_interval_months", last_review_on)
    due = add_months(last_review_on, rule.value)
    return _due(due, f"党支部每{rule.value}个月考察一次，下次考察应不晚于 {due}", rule)


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
    activist_on = _date(activist_on, "确定入党积极分子日期")
    candidate_on = _date(candidate_on, "确定发展对象日期")
    _not_before(candidate_on, activist_on, "确定发展对象日期", "确定入党积极分子日期")
    if isinstance(reviews, str | bytes) or not isinstance(reviews, Sequence | set | frozenset):
        raise ValueError("考察日期应为日期列表")
    dates = sorted({_date(r, "考察日期") for r in reviews})
    rule = table.rule("activist.review_interval_months", candidate_on)
    n = rule.value
    previous, count = activist_on, 0
    for reviewed_on in (d for d in dates if activist_on <= d <= candidate_on):
        due = add_months(previous, n)
        if reviewed_on > due:
            return _check(
                False, f"缺少半年考察：{previous} 至 {due} 期间无考察记录（下一次考察在 {reviewed_on}）", rule
            )
        previous, count = reviewed_on, count + 1
    due = add_months(previous, n)
    if candidate_on > due:
        return _check(
            False, f"缺少半年考察：{previous} 至 {due} 期间无考察记录，党支部应每{n}个月考察一次入党积极分子", rule
        )
    return _check(True, f"党支部每{n}个月考察一次，已考察 {count} 次，无缺漏", rule)


def training_contacts_ok(contacts: Sequence[SponsorInfo], *, on: date, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """1–2 training contacts, all full members."""
    on = _date(on, "指定日期")
    contacts = _people(contacts, "培养联系人")
    low = table.rule("training_contact.min_count", on)
    high = table.rule("training_contact.max_count", on)
    if not low.value <= len(contacts) <= high.value:
        return _check(False, f"应指定{low.value}至{high.value}名培养联系人，现有 {len(contacts)} 名", low)
    not_full = [c.name for c in contacts if not c.is_full_member]
    if not_full:
        return _check(False, f"培养联系人应为正式党员：{'、'.join(not_full)} 不是正式党员", low)
    return _check(True, f"已指定{len(contacts)}名正式党员作培养联系人", low)


# --- 发展对象 -----------------------------------------------------------------------------------------------------


def activist_year_done(activist_on: date, candidate_on: date, *, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """一年以上: at least one full year as activist; 以上 includes the number, so the anniversary itself is enough.

    满一年 is reached on the corresponding day a year later, or on 28 February when the activist date was
    29 February (民法典 第202条): 2024-02-29 → 2025-02-28; 2023-02-28 → 2024-02-28 (so 2024-02-29 is fine).
    """
    activist_on = _date(activist_on, "确定入党积极分子日期")
    candidate_on = _date(candidate_on, "确定发展对象日期")
    _not_before(candidate_on, activist_on, "确定发展对象日期", "确定入党积极分子日期")
    rule = table.rule("candidate.min_activist_years", candidate_on)
    earliest = add_years(activist_on, rule.value)
    if candidate_on >= earliest:
        return _check(True, f"培养教育考察已满{rule.value}年（{activist_on} 至 {earliest}）", rule)
    return _check(
        False,
        f"培养教育考察未满{rule.value}年：{activist_on} 确定为入党积极分子，{earliest} 起方可列为发展对象",
        rule,
    )


def _people(people: Sequence[SponsorInfo], label: str) -> list[SponsorInfo]:
    if isinstance(people, str | bytes) or not isinstance(people, Sequence):
        raise ValueError(f"{label}应为列表")
    for person in people:
        if not isinstance(person, SponsorInfo):
            raise ValueError(f"{label}信息格式错误：{person!r}")
    return list(people)


def sponsor_eligible(sponsor: SponsorInfo, *, on: date, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """One proposed sponsor, judged when named (细则 第14条: 入党介绍人……应当是正式党员; 受留党察看处分、尚未恢复
    党员权利的党员，不能作入党介绍人). ``sponsors_ok`` judges the pair again when step 9 is recorded."""
    on = _date(on, "指定日期")
    (sponsor,) = _people([sponsor], "入党介绍人")
    rule = table.rule("sponsor.required_count", on)
    if not sponsor.is_full_member:
        return _check(False, f"入党介绍人应为正式党员：{sponsor.name} 不是正式党员", rule)
    if sponsor.on_party_probation:
        return _check(False, f"受留党察看处分、尚未恢复党员权利的党员不能作入党介绍人：{sponsor.name}", rule)
    return _check(True, f"{sponsor.name} 是正式党员，可作入党介绍人", rule)


def sponsors_ok(sponsors: Sequence[SponsorInfo], *, on: date, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """Exactly 2 different sponsors, full members, none under 留党察看 without restored rights."""
    on = _date(on, "确定入党介绍人日期")
    sponsors = _people(sponsors, "入党介绍人")
    rule = table.rule("sponsor.required_count", on)
    if len(sponsors) != rule.value:
        return _check(False, f"应有{rule.value}名入党介绍人，现有 {len(sponsors)} 名", rule)
    keys = [s.person_id if s.person_id is not None else s.name for s in sponsors]
    if len(set(keys)) != len(keys):
        return _check(False, "入党介绍人不能是同一人", rule)
    not_full = [s.name for s in sponsors if not s.is_full_member]
    if not_full:
        return _check(False, f"入党介绍人应为正式党员：{'、'.join(not_full)} 不是正式党员", rule)
    on_probation = [s.name for s in sponsors if s.on_party_probation]
    if on_probation:
        return _check(False, f"受留党察看处分、尚未恢复党员权利的党员不能作入党介绍人：{'、'.join(on_probation)}", rule)
    return _check(True, f"{rule.value}名正式党员作入党介绍人", rule)


def training_ok(
    days: float | Decimal | None, hours: float | Decimal | None, *, on: date, table: RuleSource = DEVELOPMENT_RULES
) -> Check:
    """集中培训 ≥3 days **or** ≥24 class hours (either suffices); ``None`` means not recorded."""
    on = _date(on, "培训结束日期")
    days_n = _number(days, "培训天数")
    hours_n = _number(hours, "培训学时")
    min_days = table.rule("training.min_days", on)
    min_hours = table.rule("training.min_hours", on)
    if days_n is not None and days_n >= min_days.value:
        return _check(True, f"集中培训 {days_n} 天，不少于{min_days.value}天", min_days)
    if hours_n is not None and hours_n >= min_hours.value:
        return _check(True, f"集中培训 {hours_n} 学时，不少于{min_hours.value}学时", min_hours)
    if days_n is None and hours_n is None:
        return _check(False, "未记录集中培训的天数或学时", min_days)
    return _check(
        False,
        f"集中培训不足：应不少于{min_days.value}天或{min_hours.value}学时，"
        f"实际 {days_n if days_n is not None else '—'} 天、{hours_n if hours_n is not None else '—'} 学时",
        min_days,
    )


# --- 接收预备党员 ---------------------------------------------------------------------------------------------------


def pre_review_leave_ok(pre_review_on: date, leaves_on: date | None, *, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """细则 第19条: "发展对象未来3个月内将离开工作、学习单位的，一般不办理接收预备党员的手续".

    Judged on the day of 预审 and of each later admission decision (``pre_review_on`` is that day): a departure
    on or before the day n months later (以内 still holds on it) — or one already past — blocks; 一般 (generally)
    is the office's override. ``None``: no departure recorded.
    """
    pre_review_on = _date(pre_review_on, "办理日期")
    rule = table.rule("pre_review.leave_window_months", pre_review_on)
    if leaves_on is None:
        return _check(True, "未登记预计离开工作、学习单位的日期", rule)
    leaves_on = _date(leaves_on, "预计离开单位日期")
    window_end = add_months(pre_review_on, rule.value)
    if leaves_on <= window_end:
        return _check(
            False,
            f"发展对象预计 {leaves_on} 离开工作、学习单位，在 {pre_review_on} 起{rule.value}个月内（至 {window_end}），"
            "一般不办理接收预备党员的手续；确需办理的，由党委组织部门例外放行",
            rule,
        )
    return _check(True, f"预计 {leaves_on} 离开工作、学习单位，不在{rule.value}个月内（至 {window_end}）", rule)


def meeting_after_pre_review_ok(
    pre_review_on: date, meeting_on: date, *, table: RuleSource = DEVELOPMENT_RULES
) -> Check | None:
    """Local rule (L), off by default: the branch meeting within n months of 预审. None while the office has not
    turned it on; on, a late meeting is blocked or only warned of as the office chose."""
    pre_review_on = _date(pre_review_on, "预审日期")
    meeting_on = _date(meeting_on, "支部大会日期")
    if not table.value("admission.meeting_after_pre_review_enabled", pre_review_on):
        return None
    rule = table.rule("admission.meeting_after_pre_review_months", pre_review_on)
    deadline = add_months(pre_review_on, rule.value)
    if meeting_on <= deadline:
        return _check(True, f"已在预审后{rule.value}个月内召开支部大会（期限 {deadline}）", rule)
    reason = f"预审后{rule.value}个月内未召开支部大会：期限 {deadline}，实际 {meeting_on}"
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
    on = _date(on, "支部大会日期")
    rule = table.rule("vote.majority_denominator_count", on)
    if due is None or present is None or yes is None:
        return _check(False, "请填写应到、实到有表决权的正式党员人数和赞成票数", rule)
    for value, label in (
        (due, "应到人数"),
        (present, "实到人数"),
        (yes, "赞成票数"),
        (written_yes, "书面意见赞成票数"),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{label}应为非负整数：{value!r}")
    if present > due:
        raise ValueError(f"实到人数 {present} 不能多于应到人数 {due}")
    if yes > present:
        raise ValueError(f"赞成票数 {yes} 不能多于实到人数 {present}")
    if present + written_yes > due:
        raise ValueError(f"实到人数 {present} 与书面意见赞成票数 {written_yes} 之和不能多于应到人数 {due}")
    if due == 0 or not more_than_half(present, due):
        reason = f"到会有表决权的正式党员未超过应到人数的半数（应到 {due}，实到 {present}），不能表决"
        return _check(False, reason, rule)
    total = yes + written_yes
    counted = f"赞成 {total} 票（含书面意见 {written_yes} 票）" if written_yes else f"赞成 {yes} 票"
    if not more_than_half(total, due):
        return _check(False, f"赞成人数未超过应到会有表决权正式党员的半数（应到 {due}，{counted}），未通过", rule)
    return _check(True, f"应到 {due} 人，实到 {present} 人，{counted}，超过应到人数的半数，通过", rule)


def approval_in_time(
    meeting_on: date, approved_on: date, *, special_case: bool = False, table: RuleSource = DEVELOPMENT_RULES
) -> Check:
    """Upper committee approves admission within 3 months of the branch meeting (special cases ≤ 6 months)."""
    meeting_on = _date(meeting_on, "支部大会日期")
    approved_on = _date(approved_on, "审批日期")
    _not_before(approved_on, meeting_on, "审批日期", "支部大会日期")
    rule = table.rule(
        "admission.approval_special_max_months" if special_case else "admission.approval_within_months", meeting_on
    )
    deadline = add_months(meeting_on, rule.value)
    label = "特殊情况下" if special_case else ""
    if approved_on <= deadline:
        return _check(True, f"{label}已在支部大会后{rule.value}个月内审批（期限 {deadline}）", rule)
    reason = f"审批超期：{label}应在 {deadline} 前（含当日）完成，实际 {approved_on}"
    if not special_case:
        special = table.rule("admission.approval_special_max_months", meeting_on)
        if approved_on <= add_months(meeting_on, special.value):
            reason += f"；如属特殊情况，可不超过{special.value}个月"
    return _check(False, reason, rule)


def probation_end(
    admitted_meeting_on: date, extensions: Sequence[int] = (), *, table: RuleSource = DEVELOPMENT_RULES
) -> DueDate:
    """End of probation: one year from the admitting branch meeting, plus the single extension (6–12 months).

    The extension is counted from the end of the regular year. On the returned day the probation is complete
    (预备期满), which is also the day party standing starts.
    """
    admitted_meeting_on = _date(admitted_meeting_on, "支部大会通过日期")
    if isinstance(extensions, str | bytes) or not isinstance(extensions, Sequence):
        raise ValueError("延长预备期应为月数列表")
    on = admitted_meeting_on
    years = table.rule("probation.duration_years", on)
    max_ext = table.rule("probation.max_extensions_count", on)
    low = table.rule("probation.extension_min_months", on)
    high = table.rule("probation.extension_max_months", on)
    if len(extensions) > max_ext.value:
        raise ValueError(f"预备期只能延长{max_ext.value}次，不能再次延长（{max_ext.citation}）")
    end = add_years(admitted_meeting_on, years.value)
    if not extensions:
        return _due(end, f"预备期{years.value}年，自支部大会通过之日 {admitted_meeting_on} 算起，至 {end} 期满", years)
    months = extensions[0]
    if isinstance(months, bool) or not isinstance(months, int):
        raise ValueError(f"延长预备期应为整月数：{months!r}")
    if not low.value <= months <= high.value:
        raise ValueError(
            f"延长预备期应不少于{low.value}个月、不超过{high.value}个月，不能延长 {months} 个月（{low.citation}）"
        )
    extended = add_months(end, months)
    return _due(extended, f"预备期{years.value}年于 {end} 届满，延长{months}个月，至 {extended} 期满", low)


def party_standing_starts(probation_end_date: date, *, table: RuleSource = DEVELOPMENT_RULES) -> DueDate:
    """党龄 counts from the day probation ends (预备期满转为正式党员之日)."""
    probation_end_date = _date(probation_end_date, "预备期满日期")
    rule = table.rule("party_standing.offset_days", probation_end_date)
    starts = probation_end_date + timedelta(days=rule.value)
    return _due(starts, f"党龄从预备期满转为正式党员之日 {starts} 算起", rule)


# --- 转正 ---------------------------------------------------------------------------------------------------------


def conversion_approval_in_time(meeting_on: date, approved_on: date, *, table: RuleSource = DEVELOPMENT_RULES) -> Check:
    """Upper committee approves the conversion within 3 months of the branch meeting that voted on it."""
    meeting_on = _date(meeting_on, "支部大会日期")
    approved_on = _date(approved_on, "审批日期")
    _not_before(approved_on, meeting_on, "审批日期", "支部大会日期")
    rule = table.rule("conversion.approval_within_months", meeting_on)
    deadline = add_months(meeting_on, rule.value)
    if approved_on <= deadline:
        return _check(True, f"转正审批已在{rule.value}个月内完成（期限 {deadline}）", rule)
    return _check(False, f"转正审批超期：应在 {deadline} 前（含当日）完成，实际 {approved_on}", rule)


# --- step windows -------------------------------------------------------------------------------------------------


def _span(key: str, start: date, on: date, table: RuleSource) -> date:
    value = table.value(key, on)
    if key.endswith("_years"):
        return add_years(start, value)
    if key.endswith("_months"):
        return add_months(start, value)
    raise ValueError(f"规则 {key} 不是年或月的期间")


def step_window(
    step: Step, previous_on: date, *, on: date | None = None, table: RuleSource = DEVELOPMENT_RULES
) -> tuple[date | None, date | None]:
    """(earliest, latest) day for ``step`` given the date of the step its interval is counted from.

    ``on`` picks the rule version (defaults to ``previous_on``). Steps without an interval give (None, None).
    """
    previous_on = _date(previous_on, "前序步骤日期")
    on = previous_on if on is None else _date(on, "规则日期")
    if step.interval is None:
        return (None, None)
    interval = step.interval
    if interval.enabled_key and not table.value(interval.enabled_key, on):
        return (None, None)  # a local bound the office has not turned on: no earliest day, no deadline
    earliest = _span(interval.min_key, previous_on, on, table) if interval.min_key else None
    latest = _span(interval.max_key, previous_on, on, table) if interval.max_key else None
    return (earliest, latest)
