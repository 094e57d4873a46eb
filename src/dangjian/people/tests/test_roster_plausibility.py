"""Roster rows whose party dates cannot be true are row errors (issue 13 §3): a member born in 2015 admitted in
2021, a 中共党员 without 入党日期, a conversion that is not after the admission.

党章 第一条: "年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子……可以申请加入中国共产党" —
so the application, and the admission after it, fall on or after the 18th birthday. 党章 第七条: a probationary
member becomes a full member when the probation ends, so 转正日期 is after 入党日期. A member (中共党员 or
中共预备党员) was admitted on some day: the roster must say which.
"""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.audit.models import AuditEvent
from dangjian.people.models import Membership, Person
from dangjian.people.roster import import_roster

from .test_roster_helpers import find_error, member, new_id, row, xlsx

pytestmark = pytest.mark.django_db

BORN = date(1980, 3, 4)  # 18th birthday: 1998-03-04


def _import(rows):
    return import_roster(xlsx(rows), "roster.xlsx")


def test_a_member_born_in_2015_admitted_in_2021_is_refused_at_the_admission_date(tree):
    child = member(公民身份号码=new_id(birth=date(2015, 5, 1)), 入党日期="2021-07-01", 转正日期="2022-07-01")
    report = _import([child])
    message = find_error(report, 2, "入党日期")
    assert "未满18周岁" in message and "2033-05-01" in message and "党章" in message


def test_an_application_the_day_before_the_18th_birthday_is_refused_and_on_the_birthday_accepted(tree):
    ident = new_id(birth=BORN)
    early = member(公民身份号码=ident, 申请入党日期="1998-03-03", 入党日期="1999-07-01", 转正日期="2000-07-01")
    report = _import([early])
    assert "未满18周岁" in find_error(report, 2, "申请入党日期")
    on_the_day = {**early, "申请入党日期": "1998-03-04"}
    assert _import([on_the_day]).ok


def test_an_admission_before_the_18th_birthday_is_refused_without_an_application_date(tree):
    report = _import([member(公民身份号码=new_id(birth=BORN), 入党日期="1998-03-03", 转正日期="1999-03-03")])
    assert "未满18周岁" in find_error(report, 2, "入党日期")


@pytest.mark.parametrize("status", ["中共党员", "中共预备党员"])
def test_a_member_without_an_admission_date_is_refused(tree, status):
    report = _import([member(政治面貌=status, 入党日期=None, 转正日期=None)])
    assert "须填写入党日期" in find_error(report, 2, "入党日期")


def test_a_conversion_on_the_admission_day_is_refused(tree):
    report = _import([member(入党日期="2010-07-01", 转正日期="2010-07-01")])
    assert "转正日期应晚于入党日期" in find_error(report, 2, "转正日期")


def test_implausible_rows_are_all_reported_and_nothing_is_written(tree):
    rows = [
        member(姓名="正确的一行"),
        member(公民身份号码=new_id(birth=date(2015, 5, 1)), 入党日期="2021-07-01", 转正日期="2022-07-01"),
        row(政治面貌="中共党员", 所在党支部="一支部"),
        member(转正日期="2010-07-01"),
    ]
    persons, memberships, events = Person.all_objects.count(), Membership.objects.count(), AuditEvent.objects.count()
    report = _import(rows)
    assert {(e.row, e.column) for e in report.errors} == {(3, "入党日期"), (4, "入党日期"), (5, "转正日期")}
    assert (Person.all_objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == (
        persons,
        memberships,
        events,
    )
