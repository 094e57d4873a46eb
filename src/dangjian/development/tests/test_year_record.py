"""The 发展党员 section of the ledger: the five registers of the development app, rendered into a .docx and read
back, their gaps, their queries."""

from __future__ import annotations

import json
import os
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from dangjian.core import context, paper
from dangjian.core.contributions import Period, contributions
from dangjian.development import services
from dangjian.development.year_record import (
    REGISTERS,
    ActivistsRegister,
    ApplicantsRegister,
    ConversionsRegister,
    MembersRegister,
    NewMembersRegister,
)
from dangjian.people.models import Membership
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db

VOTES = {"votes_due": 9, "votes_present": 8, "votes_yes": 7}
DAYS = {1: date(2022, 1, 10), 2: date(2022, 1, 20), 3: date(2022, 8, 1), 7: date(2023, 8, 1), 15: date(2023, 9, 5)}
DAYS |= {17: date(2023, 10, 8), 23: date(2024, 9, 10), 24: date(2024, 9, 20)}


@pytest.fixture
def world():
    t = make_tree()
    sec = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    applicant = make_person(
        "李文静", department=t.dept1, sex="F", birth=date(1996, 4, 12), education="master", post="助理研究员"
    )
    a, b = make_member(t.branch1, "张介绍"), make_member(t.branch1, "王介绍")
    with context.acting(sec):
        yield t, sec, applicant, a, b


def _through(world, last: int, person=None):
    t, sec, applicant, a, b = world
    dev = services.open_case(sec, (person or applicant).pk, t.branch1.pk, DAYS[1])
    services.add_contact(sec, dev.pk, a.pk, "training_contact")
    services.add_contact(sec, dev.pk, a.pk, "sponsor")
    services.add_contact(sec, dev.pk, b.pk, "sponsor")
    day = DAYS[1]
    for number in range(1, last + 1):
        day = DAYS.get(number, day)
        services.record_step(sec, dev.pk, number, {"done_on": day, "training_days": 3, **VOTES})
        if number == 6:  # the half-yearly reviews before the candidate date (第11条)
            for reviewed_on in (date(2023, 1, 20), date(2023, 7, 15)):
                services.add_review(sec, dev.pk, reviewed_on, "表现良好")
    return dev


def _render(part, org, year: int) -> Document:
    document = paper.new_document()
    part.render(org, Period.year(year), document)
    return Document(BytesIO(paper.to_bytes(document)))


def _rows(document) -> list[list[str]]:
    (table,) = document.tables
    return [[c.text for c in row.cells] for row in table.rows]


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_applicants_and_activists_of_the_year_with_their_dates_and_contacts(world):
    t = world[0]
    _through(world, 3)  # applied and talked to in January 2022, activist from 1 August 2022

    back = _render(ApplicantsRegister(), t.branch1, 2022)
    rows = _rows(back)
    assert _texts(back)[0] == "入党申请人名册"
    assert rows[0][:3] == ["序号", "姓名", "性别"]
    # one branch: its name would repeat on every row, the column is left out
    assert "党支部" not in rows[0]
    assert rows[1] == [
        "1",
        "李文静",
        "女",
        "1996-04-12",
        "硕士研究生",
        "2022-01-10",
        "2022-01-20",
        "2022-08-01",
    ]
    assert "共1人。" in _texts(back)
    # an activist since 2022 is no longer an applicant in 2023
    assert "本年度无入党申请人记录。" in _texts(_render(ApplicantsRegister(), t.branch1, 2023))

    back = _render(ActivistsRegister(), t.general, 2022)
    rows = _rows(back)
    assert rows[0][6:] == ["确定为入党积极分子日期", "培养联系人", "确定为发展对象日期", "入党介绍人", "年末所处阶段"]
    assert rows[1][1] == "李文静" and rows[1][6:] == ["2022-08-01", "张介绍", "—", "—", "入党积极分子"]
    assert "本年度无入党积极分子和发展对象记录。" in _texts(_render(ActivistsRegister(), t.branch2, 2022))


def test_new_members_and_conversions_extensions_and_cancellations(world):
    t, sec = world[0], world[1]
    dev = _through(world, 17)  # admitted by the branch meeting on 5 September 2023, approved on 8 October
    late = make_person("赵延长", department=t.dept1)
    extended = _through(world, 17, person=late)
    services.extend_probation(sec, extended.pk, 6, date(2024, 8, 20), "思想汇报不及时，需继续考察")
    cancelled = make_member(t.branch1, "钱取消", status="probationary")
    Membership.objects.filter(person=cancelled).update(
        ended_on=date(2024, 6, 1), end_cause="cancelled", end_reason="支部大会决定取消预备党员资格"
    )

    back = _render(NewMembersRegister(), t.branch1, 2023)
    rows = {r[1]: r for r in _rows(back)[1:]}
    assert set(rows) == {"李文静", "赵延长"}
    assert rows["李文静"][6:] == ["2023-09-05", "2023-10-08", "张介绍、王介绍", "—", "2024-09-05"]
    assert "本年度无新发展党员。" in _texts(_render(NewMembersRegister(), t.branch1, 2024))

    # 2024: the probation of 李文静 ended on 5 September without the branch meeting on her conversion
    gaps = ConversionsRegister().gaps(t.branch1, Period.year(2024))
    assert [g.text for g in gaps] == ["李文静（一支部）预备期已于2024-09-05期满，支部大会尚未讨论其转正"]
    assert gaps[0].link == f"/development/{dev.pk}/" and gaps[0].section == "development"
    assert ConversionsRegister().gaps(t.branch1, Period.year(2023)) == []

    for number in range(18, 25):
        day = DAYS.get(number, date(2024, 9, 6) if number < 23 else DAYS[24])
        services.record_step(sec, dev.pk, number, {"done_on": day, **VOTES})
    assert ConversionsRegister().gaps(t.branch1, Period.year(2024)) == []

    rows = {r[4]: r for r in _rows(_render(ConversionsRegister(), t.branch1, 2024))[1:]}
    assert rows["转为正式党员"][1:4] == ["李文静", "2023-09-05", "2024-09-05"]
    assert rows["转为正式党员"][5:] == ["2024-09-10", "2024-09-20", "2024-09-05"]
    assert rows["延长预备期6个月"][1] == "赵延长" and rows["延长预备期6个月"][7] == "延长后至2025-03-05期满"
    assert rows["取消预备党员资格"][1] == "钱取消" and rows["取消预备党员资格"][7] == "支部大会决定取消预备党员资格"
    assert "本年度无预备党员转正、延长预备期或取消预备党员资格记录。" in _texts(
        _render(ConversionsRegister(), t.branch2, 2024)
    )


def test_the_members_register_lists_the_rolls_at_the_end_of_the_year(world):
    t = world[0]
    make_member(t.branch1, "孙预备", status="probationary")
    gone = make_member(t.branch1, "周转出")
    Membership.objects.filter(person=gone).update(ended_on=date(2024, 3, 1))

    rows = {r[1]: r for r in _rows(_render(MembersRegister(), t.branch1, 2024))[1:]}
    assert set(rows) == {"书记甲", "张介绍", "王介绍", "孙预备"}
    assert rows["孙预备"][2:] == ["男", "预备党员", "2010-07-01", "—"]
    assert rows["张介绍"][3] == "正式党员"
    assert "周转出" in {r[1] for r in _rows(_render(MembersRegister(), t.branch1, 2023))[1:]}
    assert "本年度无党员记录。" in _texts(_render(MembersRegister(), t.branch2, 2024))
    # several branches: each row names its own
    make_member(t.branch2, "吴二支")
    rows = _rows(_render(MembersRegister(), t.general, 2024))
    branch_of = {r[1]: r[3] for r in rows[1:]}
    assert rows[0][3] == "党支部" and branch_of["吴二支"] == "二支部" and branch_of["孙预备"] == "一支部"


def test_a_step_past_its_deadline_is_a_gap_of_its_year(world):
    t = world[0]
    dev = _through(world, 1)  # applied on 10 January 2022: the talk is due within a month

    (gap,) = ApplicantsRegister().gaps(t.general, Period.year(2022))
    assert gap.text.startswith("李文静（一支部）发展党员步骤已超期，期限2022-")
    assert "下一步：第2步「党组织派人谈话」" in gap.text
    assert gap.link == f"/development/{dev.pk}/"
    assert ApplicantsRegister().gaps(t.general, Period.year(2021)) == []
    assert ApplicantsRegister().gaps(t.branch2, Period.year(2022)) == []


def test_queries_do_not_grow_with_the_cases(world, django_assert_max_num_queries):
    t = world[0]
    _through(world, 17)
    counts = {}
    for part in REGISTERS:
        with django_assert_max_num_queries(12) as captured:
            part.render(t.root, Period.year(2023), paper.new_document())
            part.gaps(t.root, Period.year(2024))
        counts[part.key] = len(captured)
    for n in range(4):
        _through(world, 17, person=make_person(f"新人{n}", department=t.dept1))
        make_member(t.branch2, f"党员{n}")
    for part in REGISTERS:
        with django_assert_max_num_queries(counts[part.key]):
            part.render(t.root, Period.year(2023), paper.new_document())
            part.gaps(t.root, Period.year(2024))


def test_the_registers_are_registered_in_order_with_the_wide_ones_landscape():
    (development,) = [c for c in contributions() if c.app == "development"]
    assert development.documents == REGISTERS
    assert [p.title for p in REGISTERS] == [
        "入党申请人名册",
        "入党积极分子和发展对象名册",
        "党员名册",
        "新党员名册",
        "预备党员转正名册",
    ]
    assert [p.landscape for p in REGISTERS] == [False, True, False, True, True]
    assert all(p.section == "development" for p in REGISTERS)
    assert [p.order for p in REGISTERS] == [10, 20, 30, 40, 50]


REGISTERS_SNAPSHOT = Path(__file__).with_name("year_record_registers.json")


def _as_json(value):
    if isinstance(value, (list, tuple, range)):
        return [_as_json(v) for v in value]
    return value if isinstance(value, int) else str(value)


def test_the_registers_print_what_they_printed_before(world, monkeypatch):
    """Every call each register makes to ``paper`` (table or wide table with its headers, rows, widths and numeric
    columns; paragraphs; subheading), for a committee and a branch over three years, as recorded in
    ``year_record_registers.json``: the registers' row building may change shape, not what it prints. Rewrite
    the file with ``REGISTERS_SNAPSHOT_WRITE=1`` only when a register's output is meant to change."""
    t, sec = world[0], world[1]
    converted = _through(world, 17)
    for number in range(18, 25):  # converted in September 2024
        day = DAYS.get(number, date(2024, 9, 6) if number < 23 else DAYS[24])
        services.record_step(sec, converted.pk, number, {"done_on": day, **VOTES})
    _through(world, 3, person=make_person("陈申请", department=t.dept1, sex="F", birth=date(2000, 2, 3)))
    extended = _through(world, 17, person=make_person("赵延长", department=t.dept1))
    services.extend_probation(sec, extended.pk, 6, date(2024, 8, 20), "思想汇报不及时，需继续考察")
    cancelled = make_member(t.branch1, "钱取消", status="probationary")
    Membership.objects.filter(person=cancelled).update(
        ended_on=date(2024, 6, 1), end_cause="cancelled", end_reason="支部大会决定取消预备党员资格"
    )
    make_member(t.branch2, "吴二支")
    # a case in the other branch: the committee's registers keep their 党支部 column
    sec2 = make_user("office", "office", t.root)
    other = services.open_case(sec2, make_person("孙二支", department=t.dept1).pk, t.branch2.pk, date(2022, 3, 1))
    services.record_step(sec2, other.pk, 1, {"done_on": date(2022, 3, 1)})

    calls: list = []
    depth = [0]  # a wide table draws a table: only the register's own calls are recorded
    for name in ("table", "wide_table", "paragraph", "subheading"):
        real = getattr(paper, name)

        def spy(document, *args, _name=name, _real=real, **kwargs):
            if not depth[0]:
                calls.append([_name, _as_json(args), {k: _as_json(v) for k, v in sorted(kwargs.items())}])
            depth[0] += 1
            try:
                return _real(document, *args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(paper, name, spy)
    printed = {}
    for part in REGISTERS:
        for org in (t.general, t.branch1):
            for year in (2022, 2023, 2024):
                calls.clear()
                part.render(org, Period.year(year), paper.new_document())
                printed[f"{part.key} {org.name} {year}"] = list(calls)

    if os.environ.get("REGISTERS_SNAPSHOT_WRITE"):
        REGISTERS_SNAPSHOT.write_text(json.dumps(printed, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert printed == json.loads(REGISTERS_SNAPSHOT.read_text(encoding="utf-8"))
    # the snapshot holds the cases above: every register has rows in some year, and some keep the 党支部 column
    tables = [c for calls in printed.values() for c in calls if c[0] in ("table", "wide_table")]
    assert {key.split()[0] for key, calls in printed.items() if any("table" in c[0] for c in calls)} == {
        p.key for p in REGISTERS
    }
    assert any("党支部" in c[1][0] for c in tables) and any("党支部" not in c[1][0] for c in tables)
