"""Issue 13 §3, democratic appraisal: the confirming meeting, the tallies' anonymity, the missing self-reviews.

党员教育管理工作条例（2019）第18条 asks for the yearly 民主评议 in its three steps — 个人自评、党员互评、民主测评 —
and that the branch's members' meeting then confirms the grades is practice (S). So a meeting of another year,
or one held before mutual review closed, confirms nothing; tallies of the anonymous 互评 are not shown while
members are still rating, nor with fewer raters than the institute's minimum (3, L); and the stage does not move
on past members who have not written their self-review without the secretary seeing who and confirming it.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.accounts.models import ApiToken
from dangjian.appraisal import services
from dangjian.appraisal.models import Appraisal
from dangjian.core import context
from dangjian.testing import held_meeting, make_member, make_tree, make_user

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def world():
    t = make_tree()
    members = [make_member(t.branch1, name) for name in ("甲", "乙", "丙", "丁", "戊")]
    sec = make_user("sec", "secretary", t.branch1, person=members[0])
    users = [make_user(f"m{i}", "member", person=p) for i, p in enumerate(members[1:], start=1)]
    appraisal = services.open_appraisal(sec, t.branch1.pk, 2026)
    Appraisal.objects.filter(pk=appraisal.pk).update(created_at=datetime(2026, 9, 1, 9, tzinfo=TZ))
    appraisal.refresh_from_db()
    return t, members, sec, users, appraisal


def _all_write_self_reviews(world):
    t, members, sec, users, appraisal = world
    for user in [sec, *users]:
        services.save_self_review(user, appraisal.pk, "本年度工作总结")


def _closed_on(appraisal, when):
    """Mutual review closed at ``when`` (the tests run on any day; the stage moved then)."""
    Appraisal.objects.filter(pk=appraisal.pk).update(review_closed_at=when)
    appraisal.refresh_from_db()


def _to_proposed(world, closed=datetime(2026, 10, 10, 9, tzinfo=TZ)):
    t, members, sec, users, appraisal = world
    _all_write_self_reviews(world)
    services.start_vote(sec, appraisal.pk)
    _closed_on(appraisal, closed)
    services.propose_grades(sec, appraisal.pk, {e.pk: "qualified" for e in appraisal.participants.all()})


def _members_meeting(world, when):
    t, members, sec, users, appraisal = world
    return held_meeting(sec, t.branch1, "members_meeting", when)


# (a) the confirming meeting --------------------------------------------------------------------------------------


def test_a_members_meeting_of_another_year_cannot_confirm_the_grades(world):
    t, members, sec, users, appraisal = world
    _to_proposed(world)
    # a 2022 meeting (the opening date was moved back so that only the year can refuse it)
    Appraisal.objects.filter(pk=appraisal.pk).update(
        created_at=datetime(2022, 1, 5, tzinfo=TZ), review_closed_at=datetime(2022, 1, 6, tzinfo=TZ)
    )
    old = _members_meeting(world, datetime(2022, 3, 1, 9, tzinfo=TZ))
    with pytest.raises(ValidationError) as refused:
        services.confirm(sec, appraisal.pk, old.pk)
    assert refused.value.message_dict == {
        "meeting": ["该党员大会召开于2022-03-01，不在2026年度民主评议的年度内，不能用于确认评议结果"]
    }
    assert Appraisal.objects.get(pk=appraisal.pk).status == "proposed"


def test_the_confirming_meeting_is_held_after_mutual_review_closed(world):
    t, members, sec, users, appraisal = world
    _to_proposed(world, closed=datetime(2026, 10, 10, 9, tzinfo=TZ))
    before = _members_meeting(world, datetime(2026, 10, 9, 14, tzinfo=TZ))  # after the opening, before the close
    with pytest.raises(ValidationError) as refused:
        services.confirm(sec, appraisal.pk, before.pk)
    assert refused.value.message_dict == {
        "meeting": ["该党员大会召开于2026-10-09，早于本次民主评议互评结束的日期2026-10-10，不能用于确认评议结果"]
    }
    after = _members_meeting(world, datetime(2026, 10, 20, 14, tzinfo=TZ))
    services.confirm(sec, appraisal.pk, after.pk)
    assert Appraisal.objects.get(pk=appraisal.pk).confirmed_meeting == after


def test_a_years_appraisal_opened_early_the_next_year_is_confirmed_in_that_year(world):
    t, members, sec, users, appraisal = world
    _to_proposed(world)
    # the appraisal of 2025, opened on 5 January 2026
    Appraisal.objects.filter(pk=appraisal.pk).update(
        year=2025, created_at=datetime(2026, 1, 5, tzinfo=TZ), review_closed_at=datetime(2026, 1, 12, tzinfo=TZ)
    )
    january = _members_meeting(world, datetime(2026, 1, 15, 14, tzinfo=TZ))
    services.confirm(sec, appraisal.pk, january.pk)
    assert Appraisal.objects.get(pk=appraisal.pk).is_locked


# (b) tallies only after mutual review closed, and from 3 raters ----------------------------------------------------


def _rate(users, appraisal, target, n):
    for user in users[:n]:
        with context.acting(user):
            services.rate_others(user, appraisal.pk, {target.pk: "excellent"})


def _page(client, sec, appraisal):
    client.force_login(sec)
    return client.get(reverse("appraisal:detail", args=[appraisal.pk])).content.decode()


def test_tallies_are_withheld_while_members_are_still_rating(client, world):
    t, members, sec, users, appraisal = world
    target = appraisal.participants.get(person=members[0])
    _rate(users, appraisal, target, 4)
    assert services.mutual_review(appraisal).tallies is None
    html = _page(client, sec, appraisal)
    assert "4/0/0/0" not in html and "互评进行中，结束后才显示汇总票数，以保护匿名" in html
    token = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(sec)}"}
    body = client.get(f"/api/v1/appraisals/{appraisal.pk}", **token).json()
    assert {row["mutual_review"] is None for row in body["participants"]} == {True}
    assert body["mutual_review_withheld"] == "互评进行中，结束后才显示汇总票数，以保护匿名"

    _all_write_self_reviews(world)
    services.start_vote(sec, appraisal.pk)
    appraisal.refresh_from_db()
    assert services.mutual_review(appraisal).tallies[target.pk]["excellent"] == 4
    assert "4/0/0/0" in _page(client, sec, appraisal)
    body = client.get(f"/api/v1/appraisals/{appraisal.pk}", **token).json()
    assert {r["name"]: r["mutual_review"] for r in body["participants"]}["甲"]["excellent"] == 4


def test_tallies_of_fewer_than_three_raters_stay_withheld_after_the_review(client, world):
    t, members, sec, users, appraisal = world
    target = appraisal.participants.get(person=members[0])
    _rate(users, appraisal, target, 2)
    _all_write_self_reviews(world)
    services.start_vote(sec, appraisal.pk)
    appraisal.refresh_from_db()
    review = services.mutual_review(appraisal)
    assert review.tallies is None and review.raters == 2
    html = _page(client, sec, appraisal)
    assert "2/0/0/0" not in html
    assert "参与互评的党员仅 2 人，不足 3 人，不显示汇总票数，以保护匿名" in html


# (c) missing self-reviews: named, counted, confirmed ---------------------------------------------------------------


def test_the_vote_does_not_start_past_missing_self_reviews_unconfirmed(world):
    # named in pinyin order (丙 bing, 丁 ding, 甲 jia, 戊 wu: Person.sort_key), not by code point
    t, members, sec, users, appraisal = world
    services.save_self_review(users[0], appraisal.pk, "自评")
    with pytest.raises(ValidationError) as refused:
        services.start_vote(sec, appraisal.pk)
    assert refused.value.message_dict == {
        "confirm_missing": [
            "参评党员 5 人中还有 4 人未提交自评：丙、丁、甲、戊。确认不再等待、进入民主测评时，请勾选确认后再提交"
        ]
    }
    assert Appraisal.objects.get(pk=appraisal.pk).status == "open"
    services.start_vote(sec, appraisal.pk, confirm_missing=True)
    assert Appraisal.objects.get(pk=appraisal.pk).status == "voting"


def test_the_page_names_who_is_missing_and_asks_for_the_tick(client, world):
    t, members, sec, users, appraisal = world
    services.save_self_review(users[0], appraisal.pk, "自评")
    client.force_login(sec)
    detail = client.get(reverse("appraisal:detail", args=[appraisal.pk])).content.decode()
    assert "未提交自评 4 人：丙、丁、甲、戊" in detail
    url = reverse("appraisal:start_vote", args=[appraisal.pk])
    first = client.post(url)  # the detail page's button
    assert first.status_code == 200
    assert first.context["form"].errors["confirm_missing"][0].startswith("参评党员 5 人中还有 4 人未提交自评")
    assert Appraisal.objects.get(pk=appraisal.pk).status == "open"
    second = client.post(url, {"confirm_missing": "on"})
    assert second.status_code == 302
    assert Appraisal.objects.get(pk=appraisal.pk).status == "voting"


def test_the_api_refuses_with_the_names_until_confirmed(client, world):
    t, members, sec, users, appraisal = world
    token = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(sec)}"}
    url = f"/api/v1/appraisals/{appraisal.pk}/start-vote"
    r = client.post(url, {}, content_type="application/json", **token)
    assert r.status_code == 422 and "5 人未提交自评" in r.json()["detail"][0]["message"]
    r = client.post(url + "?confirm_missing=true", {}, content_type="application/json", **token)
    assert r.status_code == 200 and r.json()["status"] == "voting"


def test_no_confirmation_is_asked_when_everyone_has_written(world):
    t, members, sec, users, appraisal = world
    _all_write_self_reviews(world)
    services.start_vote(sec, appraisal.pk)
    appraisal.refresh_from_db()
    assert appraisal.status == "voting" and appraisal.review_closed_at is not None
    assert appraisal.review_closed_at > appraisal.created_at - timedelta(days=1)
