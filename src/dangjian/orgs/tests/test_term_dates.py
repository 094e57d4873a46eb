"""Terms and structural warnings for any date (issue 12 §3, §5).

关于党的基层组织任期的意见（2018）第一条: "党的基层委员会每届任期一般为5年，党的总支部委员会、支部委员会每届任期一般为
3年，其中，村和社区党的委员会、总支部委员会、支部委员会每届任期为5年"; 第二条: "如需延期或提前进行换届选举，应报上级
党的委员会批准，延长或提前期限一般不超过1年". Before it, the 党章: 2002 第三十条 "党的基层委员会每届任期三年或四年，
总支部委员会、支部委员会每届任期两年或三年"; 2012 第三十条 (as the issue quotes it) "党的基层委员会每届任期三年至五年，
总支部委员会、支部委员会每届任期两年或三年"; 2017 (quoted by the 意见) "党的基层委员会、总支部委员会、支部委员会每届
任期三年至五年". A range counts to its upper bound (see ``orgs.rule_data``).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.core.ruletable import NoRuleInForce
from dangjian.orgs import services
from dangjian.orgs.models import CommitteeTerm, Organization, TermExtension
from dangjian.orgs.rules import structural_warnings, term_end, term_rule
from dangjian.orgs.warnings import warnings_for
from dangjian.testing import make_member, make_tree, make_user


def test_a_term_elected_in_2015_ends_by_the_2012_charter():
    assert term_end("branch", date(2015, 6, 1)) == date(2018, 6, 1)  # 两年或三年: 3
    assert term_end("general_branch", date(2015, 6, 1)) == date(2018, 6, 1)
    assert term_end("committee", date(2015, 6, 1)) == date(2020, 6, 1)  # 三年至五年: 5
    assert "2012" in term_rule("committee", date(2015, 6, 1)).citation


def test_the_charter_versions_change_on_the_congress_days():
    # 2002 text: 基层委员会 三年或四年 until the 十八大 (2012-11-14)
    assert term_end("committee", date(2012, 11, 13)) == date(2016, 11, 13)
    assert term_end("committee", date(2012, 11, 14)) == date(2017, 11, 14)
    # 十九大 (2017-10-24): every kind 三年至五年 until the 意见 version
    assert term_end("branch", date(2017, 10, 23)) == date(2020, 10, 23)
    assert term_end("branch", date(2017, 10, 24)) == date(2022, 10, 24)
    assert term_end("branch", date(2018, 10, 27)) == date(2023, 10, 27)
    assert term_end("branch", date(2018, 10, 28)) == date(2021, 10, 28)  # 意见: 一般为3年


def test_a_term_before_any_known_rule_says_so_in_words():
    assert term_end("branch", date(2002, 11, 14)) == date(2005, 11, 14)
    with pytest.raises(NoRuleInForce) as caught:
        term_end("branch", date(2002, 11, 13))
    assert caught.value.message.startswith("该日期（2002-11-13）无已知规则")


def test_village_and_community_organisations_have_five_year_terms():
    """意见 第一条: "村和社区党的委员会、总支部委员会、支部委员会每届任期为5年"."""
    assert term_end("branch", date(2020, 3, 1), "village") == date(2025, 3, 1)
    assert term_end("general_branch", date(2020, 3, 1), "community") == date(2025, 3, 1)
    assert term_end("branch", date(2020, 3, 1), "") == date(2023, 3, 1)
    # before the 意见 the charter's rule for the kind applies to villages too
    assert term_end("branch", date(2015, 6, 1), "village") == date(2018, 6, 1)
    assert term_end("branch", date(2018, 10, 28), "village") == date(2023, 10, 28)


def _codes(today: date, **kw) -> dict[str, str]:
    base = dict(kind="branch", full_members=8, total_members=8, has_committee=False, term_ends_on=None, today=today)
    base.update(kw)
    return {w.code: w.citation for w in structural_warnings(**base)}


def test_structural_warnings_on_2018_12_01_use_the_branch_regulations():
    """支部工作条例（试行）2018 第六章: "有正式党员7人以上的党支部，应当设立党支部委员会" — before the 2019 机关条例."""
    found = _codes(date(2018, 12, 1))
    assert found["no_committee"].startswith("中国共产党支部工作条例")
    assert "no_committee" not in _codes(date(2018, 12, 1), full_members=6)
    assert "too_few" in _codes(date(2018, 12, 1), full_members=2, total_members=2)
    assert _codes(date(2019, 4, 15))["no_committee"].startswith("中国共产党党和国家机关基层组织工作条例")


def test_structural_warnings_before_any_rule_skip_the_checks_instead_of_failing():
    assert _codes(date(2010, 1, 1), full_members=2, total_members=80) == {}
    # an expired term is still judged by the charter then in force
    found = _codes(date(2010, 1, 1), has_committee=True, term_ends_on=date(2009, 12, 31))
    assert set(found) == {"term_expired"} and "2002" in found["term_expired"]


@pytest.fixture
def branch_term(db):
    t = make_tree()
    secretary = make_member(t.branch1, "书记甲")
    office = make_user("office", "office", t.root)
    term = services.record_term(office, t.branch1.pk, date(2024, 3, 1), [(secretary.pk, "secretary")])
    return t, office, term


def _shift(office, term, new_end: date, approver) -> TermExtension:
    return services.approve_term_shift(
        office,
        term.pk,
        dict(new_ends_on=new_end, approved_by=approver, approved_on=date(2026, 12, 1), reason="重点任务攻关期间"),
    )


def test_recording_a_term_before_any_rule_shows_the_message(branch_term):
    t, office, _term = branch_term
    with pytest.raises(ValidationError) as caught:
        services.record_term(office, t.branch2.pk, date(1990, 5, 1), [])
    assert "该日期（1990-05-01）无已知规则" in str(caught.value)
    assert not CommitteeTerm.objects.filter(organization=t.branch2).exists()


def test_a_village_branch_records_a_five_year_term(branch_term):
    t, office, _term = branch_term
    Organization.objects.filter(pk=t.branch2.pk).update(setting="village")
    term = services.record_term(office, t.branch2.pk, date(2024, 3, 1), [])
    assert term.ends_on == date(2029, 3, 1)


def test_an_extension_of_exactly_one_year_is_allowed_and_one_day_more_is_not(branch_term):
    """意见 第二条: 延长或提前期限一般不超过1年."""
    t, office, term = branch_term
    assert term.ends_on == date(2027, 3, 1)
    with pytest.raises(ValidationError) as caught:
        _shift(office, term, date(2028, 3, 2), t.root)
    assert "2026-03-01 至 2028-03-01" in str(caught.value)
    with pytest.raises(ValidationError):
        _shift(office, term, date(2026, 2, 28), t.root)  # one day more than a year early
    shift = _shift(office, term, date(2028, 3, 1), t.root)
    assert services.due_on(term) == date(2028, 3, 1)
    assert AuditEvent.objects.filter(object_type="orgs.termextension", object_id=str(shift.pk)).exists()
    early = _shift(office, term, date(2026, 3, 1), t.root)  # a later approval replaces the earlier one
    assert services.due_on(term) == early.new_ends_on


def test_only_a_party_committee_above_may_approve(branch_term):
    t, office, term = branch_term
    with pytest.raises(ValidationError) as caught:
        _shift(office, term, date(2027, 9, 1), t.general)  # a 党总支 is not a 党的委员会
    assert "上级党的委员会" in str(caught.value)
    with pytest.raises(ValidationError):
        _shift(office, term, date(2027, 9, 1), t.office_branch)
    assert not TermExtension.objects.exists()


def _warned(org, today: date) -> set[str]:
    return {w.code for w in warnings_for([org], today).get(org, [])}


def test_the_warnings_count_from_the_approved_date(branch_term):
    t, office, term = branch_term
    after_regular_end = date(2027, 6, 1)
    assert "term_expired" in _warned(t.branch1, after_regular_end)
    _shift(office, term, date(2027, 12, 1), t.root)
    assert "term_expired" not in _warned(t.branch1, after_regular_end)
    assert "term_expired" not in _warned(t.branch1, date(2027, 12, 1))
    assert "term_expired" in _warned(t.branch1, date(2027, 12, 2))


def test_the_shift_page_records_an_approval_and_the_detail_page_shows_it(client, branch_term):
    t, office, term = branch_term
    client.force_login(office)
    url = reverse("orgs:term_shift", args=[t.branch1.pk])
    page = client.get(url)
    assert page.status_code == 200
    # the form says the window before anyone picks a date (the regular end ± 1 year, 意见 2018 第二条)
    earliest, latest = (
        term.ends_on.replace(year=term.ends_on.year - 1),
        term.ends_on.replace(year=term.ends_on.year + 1),
    )
    assert f"{earliest:%Y-%m-%d} 至 {latest:%Y-%m-%d}" in page.content.decode()
    data = dict(new_ends_on="2029-03-01", approved_by=t.root.pk, approved_on="2026-12-01", reason="攻关")
    html = client.post(url, data).content.decode()
    assert "延长或提前期限一般不超过1年" in html  # two years: refused on the form
    data["new_ends_on"] = "2027-12-01"
    assert client.post(url, data).status_code == 302
    html = client.get(reverse("orgs:detail", args=[t.branch1.pk])).content.decode()
    assert "换届日期调整为 2027-12-01" in html


def test_a_branch_secretary_cannot_open_the_shift_page_of_another_branch(client, branch_term):
    t, _office, _term = branch_term
    other = make_user("sec2", "secretary", t.branch2)
    client.force_login(other)
    assert client.get(reverse("orgs:term_shift", args=[t.branch1.pk])).status_code in (403, 404)


def test_the_edit_page_marks_an_organisation_as_a_community(client, branch_term):
    t, office, _term = branch_term
    client.force_login(office)
    data = dict(name=t.branch2.name, short_name="", founded_on="2000-01-01", order=0, setting="community")
    assert client.post(reverse("orgs:edit", args=[t.branch2.pk]), data).status_code == 302
    assert Organization.objects.get(pk=t.branch2.pk).setting == "community"
    term = services.record_term(office, t.branch2.pk, date(2024, 3, 1), [])
    assert term.ends_on == date(2029, 3, 1)  # 村和社区…每届任期为5年
    assert AuditEvent.objects.filter(object_type="orgs.organization", object_id=str(t.branch2.pk)).exists()
