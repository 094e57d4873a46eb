"""Class hours for any year, and the higher figure for secretaries and committee members (issue 12 §3, §5).

党员教育管理工作条例（2019）第20条: "党员每年集中学习培训时间一般不少于32学时". The 2014—2018 全国党员教育培训工作规划:
"党员每年集中学习培训时间一般不少于32学时，基层党组织书记和班子成员每年集中学习培训时间一般不少于56学时" — not in the
2019 条例, so kept as a reference practice (S) for the plan's years and as the institute's setting (L) after them.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.orgs import services as org_services
from dangjian.people.models import Person
from dangjian.talks.figures import with_hours, with_required_hours
from dangjian.talks.rule_data import LEADER_HOURS, TALKS_RULES
from dangjian.testing import make_member, make_tree, make_user

from .study_days import add_study_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    t = make_tree()
    a = make_member(t.branch1, "甲")
    b = make_member(t.branch1, "乙")
    office = make_user("office", "office", t.root)
    org_services.record_term(office, t.branch1.pk, date(2021, 3, 1), [(b.pk, "secretary")])
    org_services.record_term(office, t.branch1.pk, date(2024, 3, 1), [(a.pk, "secretary"), (b.pk, "organizer")])
    for person in (a, b):
        for year in (2018, 2023, 2025):
            add_study_days(office, person, date(year, 6, 1), 40, "网络学院")
    return t, a, b, office


def test_the_leaders_figure_has_its_citation_and_changes_mark_after_the_plan():
    plan = TALKS_RULES.rule(LEADER_HOURS, date(2018, 12, 31))
    assert (plan.value, plan.confidence) == (56, "S") and "2014—2018年全国党员教育培训工作规划" in plan.citation
    after = TALKS_RULES.rule(LEADER_HOURS, date(2019, 1, 1))
    assert (after.value, after.confidence) == (56, "L")
    assert TALKS_RULES.rule("training.min_hours_per_year", date(2019, 5, 6)).confidence == "P"
    assert TALKS_RULES.rule("training.min_hours_per_year", date(2019, 5, 5)).confidence == "S"


def _required(year: int) -> dict[str, tuple[int | None, bool]]:
    members = TALKS_RULES.value("training.min_hours_per_year", date(year, 12, 31))
    leaders = TALKS_RULES.value(LEADER_HOURS, date(year, 12, 31))
    rows = with_required_hours(with_hours(Person.objects.all(), year), year, members, leaders)
    return {p.name: (p.required_hours, p.is_leader) for p in rows}


def test_committee_posts_of_a_term_in_office_during_the_year_owe_56_hours(world):
    found = _required(2025)
    assert found["甲"] == (56, True) and found["乙"] == (56, True)
    # 2023: the 2021 term was in office; 甲 held no post then
    found = _required(2023)
    assert found["甲"] == (32, False) and found["乙"] == (56, True)
    # the year the 2024 term was elected, both terms were in office at some time
    assert _required(2024)["甲"] == (56, True)


def test_the_hours_page_holds_the_secretary_to_56_hours(client, world):
    t, a, b, office = world
    c = make_member(t.branch1, "丙")
    add_study_days(office, c, date(2023, 6, 1), 40, "网络学院")
    client.force_login(office)
    html = client.get(reverse("life:hours") + "?year=2023&short=1").content.decode()
    assert "乙" in html and "甲" not in html and "丙" not in html  # 40 hours: short only for the secretary
    assert 'id="leader-minimum"' in html and "56" in html
    url = reverse("life:hours") + "?year=2023"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        make_member(t.branch1, f"新{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_hours_page_answers_for_2018_by_the_plan(client, world):
    _t, _a, _b, office = world
    client.force_login(office)
    response = client.get(reverse("life:hours") + "?year=2018")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2014—2018年全国党员教育培训工作规划" in html and 'id="no-rule"' not in html


def test_the_hours_page_for_1990_says_no_rule_is_known(client, world):
    _t, _a, _b, office = world
    client.force_login(office)
    response = client.get(reverse("life:hours") + "?year=1990")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["year"] == 1990
    assert "该日期（1990-12-31）无已知规则" in html
    table = html.split('id="hours-table"')[1]  # the members are listed with their hours, none judged short
    assert "甲" in table and "badge late" not in table


def test_the_talks_and_contact_point_pages_answer_for_a_year_before_their_rules(client, world):
    _t, _a, _b, office = world
    client.force_login(office)
    response = client.get(reverse("life:talks") + "?year=2017")
    assert response.status_code == 200 and "该日期（2017-12-31）无已知规则" in response.content.decode()
    response = client.get(reverse("life:contact_points") + "?year=2017")
    assert response.status_code == 200 and "该日期（2017-12-31）无已知规则" in response.content.decode()


def test_the_facts_of_a_year_before_the_talks_rule_are_absent_not_a_failure(client, world):
    """谈心谈话 ≥1 a year is known from 2018-10-28: a 2017 figure has nothing to be measured against."""
    from dangjian.core.contributions import Period
    from dangjian.talks.facts import TalksFacts

    t, _a, _b, office = world
    assert list(TalksFacts().compute([t.branch1], Period.year(2017))) == []
    assert {v.key for v in TalksFacts().compute([t.branch1], Period.year(2018))} == {
        "hours.members_under_32",
        "hours.met_rate",
        "talks.coverage",
    }
    client.force_login(office)
    assert client.get(reverse("facts:org", args=[t.branch1.pk]) + "?year=2017").status_code == 200


def _document_text(organization, year: int) -> tuple[str, list[list[str]]]:
    from io import BytesIO

    import docx

    from dangjian.core.contributions import Period
    from dangjian.talks.documents import build

    document = docx.Document(BytesIO(build(organization, Period.year(year))))
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    return "\n".join(p.text for p in document.paragraphs), rows


def test_the_record_holds_the_secretary_to_56_hours_and_answers_for_years_without_rules(world):
    t, _a, _b, _office = world
    text, rows = _document_text(t.branch1, 2023)
    assert "党组织书记和委员会委员每年不少于56学时" in text
    status = {row[0]: row[-1] for row in rows if row and row[0] in ("甲", "乙")}
    assert status == {"甲": "达标", "乙": "不足"}  # 40 hours each; 乙 was the secretary in 2023
    text, _rows = _document_text(t.branch1, 2013)
    assert "该日期（2013-12-31）无已知规则" in text
