"""The 5 stages and 25 steps of developing a new member (发展党员工作细则 2014), as versioned data.

Intervals between steps do not repeat numbers: they name rule keys of ``rule_data.DEVELOPMENT_RULES`` so that a
revision of a number changes one row. Pure Python: no Django.

Naming: ``Step.stage`` is the procedural stage (5 of them). ``applicant``/``activist``/``candidate`` coincide with
the person's ``Development.stage`` (GLOSSARY); the two last stages are named ``admission`` (接收预备党员, the
person is still a candidate until approved) and ``conversion`` (教育考察和转正, the person is probationary).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from dangjian.core.lazytext import N_, Message, RuleError

STAGES: dict[str, str] = {
    "applicant": N_("申请入党"),
    "activist": N_("入党积极分子的确定和培养教育"),
    "candidate": N_("发展对象的确定和考察"),
    "admission": N_("预备党员的接收"),
    "conversion": N_("预备党员的教育考察和转正"),
}

ACTORS: dict[str, str] = {
    "applicant": N_("入党申请人"),
    "branch": N_("党支部"),
    "branch_committee": N_("支部委员会"),
    "branch_meeting": N_("支部党员大会"),
    "upper_committee": N_("上级党委（基层党委）"),
    "next_department": N_("再上一级党委组织部门"),
}


@dataclass(frozen=True)
class Interval:
    """Bounds of a step relative to an earlier step, as rule keys (unit in the key suffix)."""

    after: str  # code of the earlier step the interval is counted from
    min_key: str | None = None  # "no earlier than": e.g. candidate.min_activist_years
    max_key: str | None = None  # "no later than": e.g. talk.within_months
    note: str = ""
    # a local (L) bound applies only while this boolean rule is on (RULES.md: L rules are off unless the office
    # turns them on); None: always applies
    enabled_key: str | None = None


@dataclass(frozen=True)
class Step:
    number: int
    code: str
    name: str
    stage: str
    actor: str
    documents: tuple[str, ...] = ()
    interval: Interval | None = None

    @property
    def stage_name(self) -> str:
        return STAGES[self.stage]

    @property
    def actor_name(self) -> str:
        return ACTORS[self.actor]


@dataclass(frozen=True)
class StepTable:
    version: str
    effective_from: date
    citation: str
    steps: tuple[Step, ...]

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    @cached_property
    def _numbers(self) -> dict[int, Step]:
        return {s.number: s for s in self.steps}

    @cached_property
    def _codes(self) -> dict[str, Step]:
        return {s.code: s for s in self.steps}

    def by_number(self, number: int) -> Step:
        try:
            return self._numbers[number]
        except (KeyError, TypeError):
            raise KeyError(Message(N_("第%(number)s步不存在"), number=number)) from None

    def by_code(self, code: str) -> Step:
        try:
            return self._codes[code]
        except (KeyError, TypeError):
            raise KeyError(Message(N_("步骤 %(code)s 不存在"), code=code)) from None

    def in_stage(self, stage: str) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.stage == stage)


_S = Step
_I = Interval

STEPS_2014: tuple[Step, ...] = (
    # 一、申请入党
    _S(1, "submit_application", N_("递交入党申请书"), "applicant", "applicant", (N_("入党申请书"),)),
    _S(
        2,
        "talk_with_applicant",
        N_("党组织派人谈话"),
        "applicant",
        "branch",
        (N_("谈话记录"),),
        _I("submit_application", max_key="talk.within_months"),
    ),
    # 二、入党积极分子的确定和培养教育
    _S(
        3,
        "confirm_activist",
        N_("推荐和确定入党积极分子"),
        "activist",
        "branch_committee",
        (N_("党员推荐、群团组织推优材料"), N_("支委会会议记录")),
        _I(
            "submit_application",
            min_key="activist.wait_after_application_months",
            note=N_("本单位设置"),
            enabled_key="activist.wait_after_application_enabled",
        ),
    ),
    _S(4, "file_activist", N_("上级党委备案"), "activist", "branch", (N_("入党积极分子备案材料"),)),
    _S(
        5, "assign_training_contacts", N_("指定培养联系人"), "activist", "branch_committee", (N_("培养联系人确定记录"),)
    ),
    _S(
        6,
        "train_and_review_activist",
        N_("培养教育考察"),
        "activist",
        "branch",
        (N_("入党积极分子培养教育考察登记表"), N_("思想汇报"), N_("半年考察意见")),
        _I("confirm_activist", max_key="activist.review_interval_months", note=N_("此后每半年考察一次")),
    ),
    # 三、发展对象的确定和考察
    _S(
        7,
        "confirm_candidate",
        N_("确定发展对象"),
        "candidate",
        "branch_committee",
        (N_("党小组、培养联系人、党员和群众意见"), N_("支委会会议记录")),
        _I("confirm_activist", min_key="candidate.min_activist_years"),
    ),
    _S(8, "file_candidate", N_("报上级党委备案"), "candidate", "branch", (N_("发展对象备案材料"),)),
    _S(9, "assign_sponsors", N_("确定入党介绍人"), "candidate", "branch", (N_("入党介绍人确定记录"),)),
    _S(
        10,
        "political_review",
        N_("进行政治审查"),
        "candidate",
        "branch",
        (N_("政治审查综合材料"), N_("函调或外调材料")),
    ),
    _S(11, "intensive_training", N_("开展集中培训"), "candidate", "upper_committee", (N_("集中培训结业证明"),)),
    # 四、预备党员的接收
    _S(12, "committee_review", N_("支部委员会审查"), "admission", "branch_committee", (N_("支委会会议记录"),)),
    _S(13, "upper_pre_review", N_("上级党委预审"), "admission", "upper_committee", (N_("预审请示"), N_("预审意见"))),
    _S(14, "fill_application_form", N_("填写入党志愿书"), "admission", "applicant", (N_("入党志愿书"),)),
    _S(
        15,
        "admission_meeting",
        N_("支部大会讨论"),
        "admission",
        "branch_meeting",
        (N_("支部党员大会会议记录"), N_("支部大会决议")),
        _I(
            "upper_pre_review",
            max_key="admission.meeting_after_pre_review_months",
            note=N_("本单位设置"),
            enabled_key="admission.meeting_after_pre_review_enabled",
        ),
    ),
    _S(16, "upper_talk", N_("上级党委派人谈话"), "admission", "upper_committee", (N_("谈话记录"),)),
    _S(
        17,
        "upper_approval",
        N_("上级党委审批"),
        "admission",
        "upper_committee",
        (N_("党委会会议记录"), N_("审批意见")),
        _I("admission_meeting", max_key="admission.approval_within_months", note=N_("特殊情况不超过6个月")),
    ),
    _S(18, "file_admission", N_("再上一级党委组织部门备案"), "admission", "next_department", (N_("备案材料"),)),
    # 五、预备党员的教育考察和转正
    _S(19, "assign_to_branch_and_group", N_("编入党支部和党小组"), "conversion", "branch"),
    _S(20, "oath", N_("入党宣誓"), "conversion", "upper_committee", (N_("入党宣誓记录"),)),
    _S(
        21,
        "continued_education",
        N_("继续教育考察"),
        "conversion",
        "branch",
        (N_("预备党员考察登记表"), N_("思想汇报")),
    ),
    _S(22, "conversion_application", N_("提出转正申请"), "conversion", "applicant", (N_("转正申请书"),)),
    _S(
        23,
        "conversion_meeting",
        N_("支部大会讨论"),
        "conversion",
        "branch_meeting",
        (N_("支部党员大会会议记录"), N_("支部大会决议")),
        _I(
            "admission_meeting",
            min_key="probation.duration_years",
            note=N_("预备期满后及时讨论；延长预备期的按延长后的期满日"),
        ),
    ),
    _S(
        24,
        "conversion_approval",
        N_("上级党委审批"),
        "conversion",
        "upper_committee",
        (N_("审批意见"),),
        _I("conversion_meeting", max_key="conversion.approval_within_months"),
    ),
    _S(25, "archive_file", N_("材料归档"), "conversion", "upper_committee", (N_("入党材料档案"),)),
)

STEP_TABLES: dict[str, StepTable] = {
    "2014": StepTable(
        version="2014",
        effective_from=date(2014, 5, 28),
        citation="中国共产党发展党员工作细则（2014）",
        steps=STEPS_2014,
    ),
    # "2026": reserved for the reported 2026 revision of the 细则. Its contents have not been read, so no table
    # is registered; until one is, the 2014 table stays in force. Add StepTable(version="2026", effective_from=
    # <date of the revision>, citation=..., steps=STEPS_2026) here once the text is confirmed.
}


def steps_in_force(on: date) -> StepTable:
    """The step table whose effective date is the latest one not after ``on``."""
    if not isinstance(on, date):
        raise RuleError(N_("日期格式错误：%(value)r"), value=on)
    candidates = [t for t in STEP_TABLES.values() if t.effective_from <= on]
    if not candidates:
        first = min(t.effective_from for t in STEP_TABLES.values())
        raise LookupError(Message(N_("%(on)s 无有效的发展党员步骤表（最早版本自 %(first)s 起）"), on=on, first=first))
    return max(candidates, key=lambda t: t.effective_from)
