import datetime

from django.utils import timezone

from dangjian import clock
from dangjian.core.ruletable import Rule, RuleTable
from dangjian.people import idcard


def _evening_utc(monkeypatch):
    # 20:00 UTC on New Year's Eve is 04:00 on 1 January in Beijing
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 12, 31, 20, 0, tzinfo=datetime.UTC))


def test_today_is_the_date_in_beijing_not_on_the_server_clock(monkeypatch):
    _evening_utc(monkeypatch)
    assert clock.today() == datetime.date(2027, 1, 1)


def test_a_rule_taking_effect_on_new_years_day_is_in_force_that_morning(monkeypatch):
    _evening_utc(monkeypatch)
    table = RuleTable(
        [
            Rule("k", "old", "", "P", datetime.date(2000, 1, 1), datetime.date(2027, 1, 1)),
            Rule("k", "new", "", "P", datetime.date(2027, 1, 1)),
        ]
    )
    assert table.value("k") == "new"


def test_an_id_number_born_today_in_beijing_is_not_in_the_future(monkeypatch):
    _evening_utc(monkeypatch)
    body = "11010120270101001"
    assert idcard.parse_id_number(body + idcard.check_char(body)).birth_date == datetime.date(2027, 1, 1)
