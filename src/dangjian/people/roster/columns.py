"""The roster's columns: one definition shared by the template, the reader, validation and export.

Keeping headers, choice labels and the explanations of the 说明 sheet in one
table means the template a user downloads, the file an export produces and
what the importer accepts cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from dangjian.people.models import Education, Employment, Occupation, PoliticalStatus, Sex


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 14
    text: bool = False  # formatted as text in Excel so that digits keep their form
    date: bool = False
    # A column added after files were in use: a file without it is still read, as if every cell were blank.
    optional: bool = False


def _zh(label) -> str:
    # The roster file speaks Chinese whatever language the interface is set to.
    with translation.override("zh-hans"):
        return str(label)


def _labels(choices) -> tuple[str, ...]:
    return tuple(_zh(label) for label in choices.labels)


BLANK_KEEPS = "留空时：新增人员取默认值「{}」，已有人员保持原值"
BLANK_CLEARS = "留空表示没有（已有人员的该项会被清空）"
BLANK_KEEPS_ANY = "留空时已有人员保持原值（可整列不填或没有此列）"

COLUMN_SPECS: tuple[Column, ...] = (
    Column("姓名", "name", "职工姓名，最多50个字", required=True, width=10),
    Column(
        "工号",
        "employee_no",
        "本单位的职工工号，字母、数字和“-”，最多20位；不得与他人重复。留空时已有人员保持原值（可整列不填或没有此列）",
        width=12,
        text=True,
        optional=True,
    ),
    Column("性别", "sex", "可留空，按公民身份号码自动确定；填写时须与号码一致", choices=_labels(Sex), width=6),
    Column(
        "公民身份号码",
        "id_number",
        "18位居民身份证号码（末位可为X），请设置为文本格式；15位旧号码会自动转换为18位。按此号码匹配已有人员",
        required=True,
        width=22,
        text=True,
    ),
    Column("民族", "ethnicity", "如：汉族、回族。" + BLANK_KEEPS.format("汉族"), width=8),
    Column("学历", "education", BLANK_CLEARS, choices=_labels(Education), width=12),
    Column(
        "手机号码",
        "phone",
        "11位手机号，或带区号的固定电话（如 010-12345678）。" + BLANK_CLEARS,
        width=15,
        text=True,
    ),
    Column(
        "部门",
        "department",
        "行政部门名称；名称重复时填写从单位开始的完整路径，用“/”分隔，如：星河所/时间频率计量室。" + BLANK_CLEARS,
        width=24,
    ),
    Column("岗位", "post", "最多50个字。" + BLANK_CLEARS, width=12),
    Column("职称", "title", "最多50个字。" + BLANK_CLEARS, width=12),
    Column("用工类型", "employment", BLANK_KEEPS.format("在编"), choices=_labels(Employment), width=10),
    Column(
        "政治面貌",
        "political_status",
        "中共党员、中共预备党员须填写所在党支部；其他政治面貌不填党支部。" + BLANK_KEEPS.format("群众"),
        choices=_labels(PoliticalStatus),
        width=14,
    ),
    Column("入职日期", "hire_date", "日期，如 2020-01-02、2020/1/2、2020.01.02 或 20200102", width=12, date=True),
    Column(
        "所在党支部",
        "branch",
        "党支部名称；名称重复时填写从所党委开始的完整路径，用“/”分隔，如：所党委/一总支/一支部。"
        "填写其他党支部即为转入该支部，原组织关系保留为历史",
        width=28,
    ),
    Column("所在党小组", "group", "所在党支部下的党小组名称，可留空", width=18),
    Column("申请入党日期", "applied_on", "日期，不得晚于入党日期", width=13, date=True),
    Column("入党日期", "admitted_on", "日期，即成为预备党员的日期", width=12, date=True),
    Column("转正日期", "converted_on", "日期，不得早于入党日期；预备党员不填", width=12, date=True),
    # What the in-party statistics (党内统计年报) and the 党员花名册 need beyond the HR record; added later, so
    # optional, and a blank cell keeps what is stored (a file of the older template changes no one's).
    Column(
        "籍贯", "native_place", "省市名称，如：河北省石家庄市；最多50个字。" + BLANK_KEEPS_ANY, width=16, optional=True
    ),
    Column(
        "参加工作时间",
        "work_started_on",
        "日期，如 2005-07-01；不得早于16周岁，不得晚于今天。" + BLANK_KEEPS_ANY,
        width=13,
        date=True,
        optional=True,
    ),
    Column(
        "职业",
        "occupation",
        "按党内统计的职业分类填写。" + BLANK_KEEPS_ANY,
        choices=_labels(Occupation),
        width=22,
        optional=True,
    ),
)

#: The headers in template order: what a user sees in row 1.
COLUMNS: tuple[str, ...] = tuple(c.header for c in COLUMN_SPECS)
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMN_SPECS}
INDEX: dict[str, int] = {c.key: i for i, c in enumerate(COLUMN_SPECS)}
HEADER: dict[str, str] = {c.key: c.header for c in COLUMN_SPECS}
OPTIONAL: frozenset[str] = frozenset(c.header for c in COLUMN_SPECS if c.optional)

SEX_BY_LABEL = {_zh(label): value for value, label in Sex.choices}
EDUCATION_BY_LABEL = {_zh(label): value for value, label in Education.choices}
EMPLOYMENT_BY_LABEL = {_zh(label): value for value, label in Employment.choices}
POLITICAL_BY_LABEL = {_zh(label): value for value, label in PoliticalStatus.choices}
OCCUPATION_BY_LABEL = {_zh(label): value for value, label in Occupation.choices}

SEX_LABEL = {v: k for k, v in SEX_BY_LABEL.items()}
EDUCATION_LABEL = {v: k for k, v in EDUCATION_BY_LABEL.items()}
EMPLOYMENT_LABEL = {v: k for k, v in EMPLOYMENT_BY_LABEL.items()}
POLITICAL_LABEL = {v: k for k, v in POLITICAL_BY_LABEL.items()}
OCCUPATION_LABEL = {v: k for k, v in OCCUPATION_BY_LABEL.items()}

#: Political status value -> membership status, for the two statuses that mean a party member.
MEMBER_STATUSES = {PoliticalStatus.MEMBER.value: "full", PoliticalStatus.PROBATIONARY.value: "probationary"}
POLITICAL_FOR_MEMBERSHIP = {v: k for k, v in MEMBER_STATUSES.items()}

SHEET_NAME = "花名册"
HELP_SHEET_NAME = "说明"
END_REASON = "花名册导入调整"
