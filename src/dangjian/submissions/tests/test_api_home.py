"""The API's scope and filters; the home items of the office and of the sender; the reminders of answers due."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dangjian.accounts.models import ApiToken
from dangjian.core import context
from dangjian.rules import services as rule_store
from dangjian.submissions import home, services
from dangjian.submissions.models import Submission
from dangjian.submissions.rule_data import RECENT_DAYS, REMIND_DAYS

URL = "/api/v1/submissions"


def _get(client, user, **params):
    token = ApiToken.issue(user)
    return client.get(URL, params, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_api_lists_what_the_caller_sees_by_year_and_organization(w, client):
    year = timezone.localdate().year
    a = w.sent()
    w.sent(user=w.sec2, organization=w.t.branch2, title="关于二支部换届选举的请示")
    personal = {"organization": w.t.root, "category": "personal", "kind": "report", "body": "情况如下。"}
    w.sent(user=w.leader, title="关于本人配偶从业的报告", **personal)
    body = _get(client, w.sec1, year=year).json()
    assert [i["document_number"] for i in body["items"]] == [a.document_number]
    assert body["items"][0]["addressee_name"] == "测试所党委"
    office = _get(client, w.office, year=year, organization=w.t.branch2.pk).json()
    assert [i["organization_name"] for i in office["items"]] == ["二支部"]
    assert _get(client, w.office, year=year).json()["count"] == 3
    assert _get(client, w.sec1, year=year - 1).json()["count"] == 0
    assert _get(client, w.sec1, organization=w.t.branch2.pk).status_code == 404
    assert _get(client, w.committee1).json()["count"] == 1  # the personal matter is not theirs


def test_the_office_sees_requests_to_answer_overdue_first(w):
    today = timezone.localdate()
    fresh = w.sent(title="关于新事项的请示")
    late = w.sent(title="关于旧事项的请示")
    Submission.objects.filter(pk=late.pk).update(deadline=today - timedelta(days=1))
    items = home.home_items(w.office, today)
    assert [(i.level, i.link.rstrip("/").split("/")[-1]) for i in items] == [
        ("late", str(late.pk)),
        ("due", str(fresh.pk)),
    ]
    assert home.home_items(w.sec2, today) == []


def test_the_sender_sees_returns_and_answers(w):
    today = timezone.localdate()
    a, b = w.sent(), w.sent(title="关于一支部增补委员的请示")
    with context.acting(w.office):
        services.answer(w.office, a.pk, "returned", "材料不全")
        services.answer(w.office, b.pk, "approved", "同意")
    texts = [i.text for i in home.home_items(w.sec1, today)]
    assert "关于一支部委员会换届选举的请示：被退回，请修改后重新报送" in texts
    assert "关于一支部增补委员的请示：同意" in texts
    assert home.home_items(w.office, today) == []  # the office answered them: they are not its own
    with context.acting(w.sec1):
        services.resubmit(w.sec1, a.pk)
    assert [i.text for i in home.home_items(w.sec1, today)] == ["关于一支部增补委员的请示：同意"]


def test_reminders_go_to_the_office_for_requests_due_soon_or_late(w):
    today = timezone.localdate()
    late = w.sent()
    w.sent(title="关于一支部增补委员的请示")  # due in 10 working days: not yet
    Submission.objects.filter(pk=late.pk).update(deadline=today - timedelta(days=1))
    notes = list(home.notifications(today))
    assert [(n.user_id, n.subject) for n in notes] == [(w.office.pk, "请示待答复：1 件（其中超期 1 件）")]
    assert late.document_number in notes[0].lines[0]


def test_the_reminder_window_is_the_rule_stores(w):
    today = timezone.localdate()
    due = w.sent()
    Submission.objects.filter(pk=due.pk).update(deadline=today + timedelta(days=5))
    assert list(home.notifications(today)) == []  # 5 days ahead: outside the 3 days of the default
    with context.acting(w.office):
        rule_store.revise(w.office, REMIND_DAYS, "5", today)
    notes = list(home.notifications(today))
    assert [(n.user_id, n.subject) for n in notes] == [(w.office.pk, "请示待答复：1 件（其中超期 0 件）")]


def test_an_override_for_the_office_organisation_moves_its_reminder_window(w):
    today = timezone.localdate()
    due = w.sent()
    Submission.objects.filter(pk=due.pk).update(deadline=today + timedelta(days=5))
    with context.acting(w.office):
        rule_store.revise(w.office, REMIND_DAYS, "6", today, organization=w.t.root)
    assert [n.user_id for n in home.notifications(today)] == [w.office.pk]


def test_answers_stay_on_the_senders_home_for_the_rule_stores_days(w):
    today = timezone.localdate()
    sub = w.sent()
    with context.acting(w.office):
        services.answer(w.office, sub.pk, "approved", "同意")
    Submission.objects.filter(pk=sub.pk).update(answered_at=timezone.now() - timedelta(days=20))
    assert [i.text for i in home.home_items(w.sec1, today)] == ["关于一支部委员会换届选举的请示：同意"]
    with context.acting(w.office):
        rule_store.revise(w.office, RECENT_DAYS, "10", today)
    assert home.home_items(w.sec1, today) == []
