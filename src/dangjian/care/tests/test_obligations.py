"""Rules → obligations with deadlines, responsibility, closing, follow-up and the home-page alerts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.care import services
from dangjian.care.alerts import alerts
from dangjian.care.filters import filter_obligations
from dangjian.care.models import CareEvent, CareRule, Obligation
from dangjian.care.rule_data import DEFAULT_RULES
from dangjian.care.rule_terms import terms_on
from dangjian.rules.services import book

pytestmark = pytest.mark.django_db


def test_default_rules_are_shipped_and_the_asks_are_organisation_settings():
    assert CareRule.objects.count() == len(DEFAULT_RULES)
    asks = CareRule.objects.filter(kind="ask")
    assert set(asks.values_list("trigger", flat=True)) == {
        "leave_return",
        "milestone",
        "family_burden",
        "hardship",
        "holiday",
    }
    today = timezone.localdate()
    terms = [terms_on(book(), r, today) for r in asks]
    assert all(not t.is_regulation and t.confidence == "L" and "五必问" in t.source for t in terms)
    assert CareRule.objects.filter(kind="talk").count() == 5


def test_hardship_creates_talk_visit_and_ask_with_their_deadlines(care_world):
    w = care_world
    day = timezone.localdate() - timedelta(days=1)
    event = services.record_event(w.sec1, w.jia.pk, "hardship", day, "家中失火")
    obs = {o.kind: o for o in event.obligations.all()}
    assert set(obs) == {"talk", "visit", "ask"}
    assert obs["talk"].due_on == day + timedelta(days=7)
    assert obs["ask"].due_on == day + timedelta(days=3)
    # talk → the branch secretary; visit and ask → the nearest care officer above the branch
    assert obs["talk"].responsible_user == w.sec1
    assert obs["visit"].responsible_user == w.care
    assert AuditEvent.objects.filter(object_type="care.careevent", object_id=str(event.pk)).exists()


def test_non_member_is_assigned_through_the_branch_covering_the_department(care_world):
    w = care_world
    event = services.record_event(w.care, w.yi.pk, "illness", timezone.localdate())
    assert event.branch == w.t.branch1
    assert event.obligations.get().responsible_user == w.sec1


def test_department_head_obligations_keep_the_role_only(care_world):
    w = care_world
    event = services.record_event(w.sec1, w.jia.pk, "milestone", timezone.localdate())
    ob = event.obligations.get()
    assert ob.responsible_role == "department_head" and ob.responsible_user is None


def test_obligation_is_in_time_on_the_deadline_day_and_overdue_the_day_after(care_world):
    w = care_world
    occurred = timezone.localdate() - timedelta(days=10)
    event = services.record_event(w.sec1, w.jia.pk, "illness", occurred)  # visit within 3 days
    ob = event.obligations.get()
    deadline = occurred + timedelta(days=3)
    assert ob.due_on == deadline
    assert not ob.is_overdue(deadline)
    assert ob.is_overdue(deadline + timedelta(days=1))
    listed = lambda today: list(filter_obligations(w.sec1, {"status": "overdue"}, today).rows)  # noqa: E731
    assert listed(deadline) == []
    assert listed(deadline + timedelta(days=1)) == [ob]
    assert [a.level for a in alerts(w.sec1, deadline)] == ["due"]
    assert [a.level for a in alerts(w.sec1, deadline + timedelta(days=1))] == ["late"]


def test_inactive_rules_create_nothing(care_world):
    w = care_world
    for rule in CareRule.objects.filter(trigger="illness"):
        services.save_rule(w.office, rule.pk, {"active": False})
    event = services.record_event(w.sec1, w.jia.pk, "illness", timezone.localdate())
    assert event.obligations.count() == 0


def test_closing_records_who_when_and_what_and_done_on_the_deadline_is_in_time(care_world):
    w = care_world
    today = timezone.localdate()
    event = services.record_event(w.sec1, w.jia.pk, "illness", today - timedelta(days=3))
    ob = event.obligations.get()
    services.close_obligation(w.sec1, ob.pk, {"done_on": ob.due_on, "what_done": "到医院看望"})
    ob.refresh_from_db()
    assert (ob.status, ob.closed_by, ob.what_done, ob.in_time) == ("closed", w.sec1, "到医院看望", True)
    with pytest.raises(ValidationError):
        services.close_obligation(w.sec1, ob.pk, {"done_on": today, "what_done": "again"})


def test_closing_a_day_late_counts_as_late(care_world):
    w = care_world
    today = timezone.localdate()
    ob = services.record_event(w.sec1, w.jia.pk, "illness", today - timedelta(days=4)).obligations.get()
    services.close_obligation(w.sec1, ob.pk, {"done_on": today, "what_done": "看望"})
    ob.refresh_from_db()
    assert ob.due_on == today - timedelta(days=1) and not ob.in_time


def test_closing_requires_what_was_done_and_a_plausible_date(care_world):
    w = care_world
    today = timezone.localdate()
    ob = services.record_event(w.sec1, w.jia.pk, "illness", today).obligations.get()
    for data, field in (
        ({"done_on": today, "what_done": " "}, "what_done"),
        ({"done_on": today + timedelta(days=1), "what_done": "x"}, "done_on"),
        ({"done_on": today - timedelta(days=1), "what_done": "x"}, "done_on"),
        ({"done_on": today, "what_done": "x", "follow_up_needed": True}, "follow_up_on"),
        ({"done_on": today, "what_done": "x", "follow_up_needed": True, "follow_up_on": today}, "follow_up_on"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.close_obligation(w.sec1, ob.pk, data)
        assert field in exc.value.message_dict
    assert Obligation.objects.get(pk=ob.pk).status == "open"


def test_follow_up_date_reopens_an_item_for_the_same_person(care_world):
    w = care_world
    today = timezone.localdate()
    ob = services.record_event(w.sec1, w.jia.pk, "illness", today).obligations.get()
    later = today + timedelta(days=14)
    services.close_obligation(
        w.sec1, ob.pk, {"done_on": today, "what_done": "看望", "follow_up_needed": True, "follow_up_on": later}
    )
    nxt = Obligation.objects.get(follow_up_of=ob)
    assert (nxt.status, nxt.due_on, nxt.responsible_user, nxt.kind) == ("open", later, w.sec1, "visit")


def test_out_of_scope_person_and_obligation_are_refused(care_world):
    w = care_world
    with pytest.raises(ValidationError):
        services.record_event(w.sec2, w.jia.pk, "illness", timezone.localdate())
    ob = services.record_event(w.sec1, w.jia.pk, "illness", timezone.localdate()).obligations.get()
    from django.http import Http404

    with pytest.raises(Http404):
        services.close_obligation(w.sec2, ob.pk, {"done_on": timezone.localdate(), "what_done": "x"})
    with pytest.raises(Http404):
        services.close_obligation(w.leader, ob.pk, {"done_on": timezone.localdate(), "what_done": "x"})


def test_only_the_office_edits_rules_and_edits_are_audited(care_world):
    w = care_world
    rule = CareRule.objects.get(trigger="illness", kind="visit")
    from django.http import Http404

    for user in (w.sec1, w.care, w.leader):
        with pytest.raises(Http404):
            services.save_rule(user, rule.pk, {"deadline_days": 1})
    services.save_rule(w.office, rule.pk, {"deadline_days": 2})
    assert terms_on(book(), rule, timezone.localdate()).deadline_days == 2
    ev = AuditEvent.objects.filter(object_type="care.carerule", object_id=str(rule.pk)).latest("id")
    assert ev.before["deadline_days"] == 3 and ev.after["deadline_days"] == 2
    with pytest.raises(ValidationError):
        services.save_rule(w.office, rule.pk, {"deadline_days": 366})
    # an edited rule applies to events recorded afterwards
    ob = services.record_event(w.sec1, w.jia.pk, "illness", timezone.localdate()).obligations.get()
    assert ob.due_on == timezone.localdate() + timedelta(days=2)


def test_alerts_list_only_the_users_items_plus_unassigned_overdue(care_world):
    w = care_world
    today = timezone.localdate()
    services.record_event(w.sec1, w.jia.pk, "illness", today - timedelta(days=20))
    services.record_event(w.sec2, w.bing.pk, "illness", today - timedelta(days=20))
    services.record_event(w.sec1, w.jia.pk, "milestone", today - timedelta(days=20))  # department head: unassigned
    items = alerts(w.sec1, today)
    assert [a.level for a in items] == ["late", "late"]
    assert "甲" in items[0].text and items[0].link.startswith("/care/obligations/")
    assert "未指定责任人" in items[1].text
    assert alerts(w.leader, today) == []


def test_alerts_query_count_does_not_grow_with_the_data(care_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = care_world
    today = timezone.localdate()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            items = alerts(w.sec1, today, limit=10)
        return len(ctx), len(items)

    for _ in range(2):
        services.record_event(w.sec1, w.jia.pk, "illness", today - timedelta(days=20))
        services.record_event(w.sec1, w.jia.pk, "milestone", today - timedelta(days=20))
    small = count()
    for _ in range(15):
        services.record_event(w.sec1, w.jia.pk, "illness", today - timedelta(days=20))
        services.record_event(w.sec1, w.jia.pk, "milestone", today - timedelta(days=20))
    big = count()
    # 10 of the user's own, one line for the 7 more, one for the unassigned overdue ones
    assert small[1] == 3 and big[1] == 12 and small[0] == big[0]
    items = alerts(w.sec1, today, limit=10)
    assert items[10].count == 7 and "另有7项" in items[10].text
    assert sum(i.count for i in items) == 17 + items[11].count


def test_withdrawing_an_event_cancels_its_open_obligations_and_keeps_the_done_ones(care_world):
    w = care_world
    today = timezone.localdate()
    event = services.record_event(w.sec1, w.jia.pk, "hardship", today)
    done, *rest = event.obligations.order_by("id")
    services.close_obligation(w.sec1, done.pk, {"done_on": today, "what_done": "谈心"})
    with pytest.raises(ValidationError):
        services.withdraw_event(w.sec1, event.pk, " ")
    from django.http import Http404

    with pytest.raises(Http404):
        services.withdraw_event(w.sec2, event.pk, "误登记")
    services.withdraw_event(w.sec1, event.pk, "误登记")
    assert not CareEvent.objects.filter(pk=event.pk).exists()
    statuses = dict(Obligation.objects.filter(event_id=event.pk).values_list("pk", "status"))
    assert statuses[done.pk] == "closed" and {statuses[o.pk] for o in rest} == {"cancelled"}
    assert alerts(w.sec1, today + timedelta(days=30)) == []
    with pytest.raises(ValidationError):
        services.close_obligation(w.sec1, rest[0].pk, {"done_on": today, "what_done": "x"})


# --- the care list's terms are versions in the rule store -------------------------------------------------------


def _visit():
    return CareRule.objects.get(trigger="illness", kind="visit")


def test_an_event_before_a_change_is_judged_by_the_old_version(care_world):
    """The office shortens nothing retroactively: an illness on the day before the new terms start keeps the
    3-day visit, one on the first day gets the new 10 days, whenever each is recorded."""
    w = care_world
    today = timezone.localdate()
    change = today + timedelta(days=5)
    services.save_rule(w.office, _visit().pk, {"deadline_days": 10, "effective_from": change, "reason": "放宽"})
    before = services.record_event(w.sec1, w.jia.pk, "illness", change - timedelta(days=1)).obligations.get()
    on = services.record_event(w.sec1, w.jia.pk, "illness", change).obligations.get()
    assert before.due_on == change - timedelta(days=1) + timedelta(days=3)
    assert on.due_on == change + timedelta(days=10)
    assert before.rule == on.rule == _visit()  # the same line: obligations keep pointing at one identity


def test_an_event_recorded_late_after_a_change_keeps_the_terms_of_its_day(care_world):
    w = care_world
    today = timezone.localdate()
    services.save_rule(w.office, _visit().pk, {"active": False})  # from today on, no visit after an illness
    late = services.record_event(w.sec1, w.jia.pk, "illness", today - timedelta(days=2))
    assert late.obligations.get().due_on == today - timedelta(days=2) + timedelta(days=3)
    assert services.record_event(w.sec1, w.jia.pk, "illness", today).obligations.count() == 0


def test_an_edit_adds_a_version_and_never_overwrites_one(care_world):
    from dangjian.rules.models import RuleVersion

    w = care_world
    today = timezone.localdate()
    rule = _visit()
    services.save_rule(w.office, rule.pk, {"deadline_days": 5, "effective_from": today + timedelta(days=1)})
    services.save_rule(w.office, rule.pk, {"source": "本所关怀办法第3条", "effective_from": today + timedelta(days=9)})
    versions = list(RuleVersion.objects.filter(key=rule.key).order_by("version"))
    assert [(v.version, v.value["deadline_days"], v.effective_from, v.effective_to) for v in versions] == [
        (1, 3, date(2000, 1, 1), today + timedelta(days=1)),
        (2, 5, today + timedelta(days=1), today + timedelta(days=9)),
        (3, 5, today + timedelta(days=9), None),
    ]
    assert versions[0].origin == f"care.carerule:{rule.pk}" and versions[0].created_by is None
    assert versions[2].supersedes == versions[1] and versions[2].created_by == w.office
    assert versions[2].citation == "本所关怀办法第3条" and versions[1].citation == versions[0].citation
    # both trails: the store's versions and the line's own edits
    assert AuditEvent.objects.filter(object_type="rules.ruleversion").count() == 4  # 2 created, 2 closed
    assert AuditEvent.objects.filter(object_type="care.carerule", object_id=str(rule.pk)).count() == 2
    with pytest.raises(ValidationError) as exc:  # same day as the latest version
        services.save_rule(w.office, rule.pk, {"deadline_days": 6, "effective_from": today + timedelta(days=9)})
    assert "effective_from" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # the past is judged already
        services.save_rule(w.office, rule.pk, {"deadline_days": 6, "effective_from": today - timedelta(days=1)})
    assert "生效日期不能早于今天" in str(exc.value)
    with pytest.raises(ValidationError):  # nothing changed
        services.save_rule(w.office, rule.pk, {"deadline_days": 5, "effective_from": today + timedelta(days=20)})
    assert RuleVersion.objects.filter(key=rule.key).count() == 3


def test_a_line_keeps_its_identity_and_a_new_line_starts_at_version_1(care_world):
    from dangjian.rules.models import RuleVersion

    w = care_world
    with pytest.raises(ValidationError) as exc:
        services.save_rule(w.office, _visit().pk, {"trigger": "marriage", "deadline_days": 3})
    assert "trigger" in exc.value.message_dict
    today = timezone.localdate()
    data = {"trigger": "illness", "kind": "ask", "responsible": "care_officer", "deadline_days": 1, "source": ""}
    line = services.save_rule(w.office, None, data)
    version = RuleVersion.objects.get(key="care.rule.illness.ask.care_officer")
    assert (version.version, version.value, version.effective_from) == (1, {"deadline_days": 1, "active": True}, today)
    assert version.citation == "本单位设置" and version.confidence == "L"
    with pytest.raises(ValidationError):
        services.save_rule(w.office, None, data)  # the same line twice
    kinds = {o.kind for o in services.record_event(w.sec1, w.jia.pk, "illness", today).obligations.all()}
    assert kinds == {"visit", "ask"} and line.key == version.key
    # an event before the new line existed does not get it
    earlier = services.record_event(w.sec1, w.jia.pk, "illness", today - timedelta(days=1))
    assert {o.kind for o in earlier.obligations.all()} == {"visit"}
