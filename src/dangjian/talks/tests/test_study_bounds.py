"""One study record is one day's study: a single 31-hour record was accepted (issue 13 §3). The bound is the
institute's setting ``study.max_hours_per_record`` (8 class hours, the usual 一天按8学时计), the same in the form,
the service and the API, with a Chinese message; a longer training class is entered day by day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.accounts.models import ApiToken
from dangjian.talks import services
from dangjian.talks.models import StudyRecord
from dangjian.talks.rule_data import STUDY_MAX_HOURS, TALKS_RULES
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)


@pytest.fixture
def world():
    t = make_tree()
    member = make_member(t.branch1, "甲")
    secretary = make_user("sec", "secretary", t.branch1, person=member)
    return member, secretary


def _study(member, hours) -> dict:
    return {"person": member, "studied_on": DAY, "title": "网络学院", "hours": Decimal(hours)}


def test_the_bound_is_a_local_setting_of_eight_hours_with_its_label():
    rule = TALKS_RULES.rule(STUDY_MAX_HOURS, DAY)
    assert rule.value == 8 and rule.confidence == "L" and not rule.is_regulation


def test_the_service_accepts_a_full_day_and_refuses_more(world):
    member, secretary = world
    services.add_study(secretary, _study(member, "8"))
    for hours in ("8.5", "31"):
        with pytest.raises(ValidationError) as refused:
            services.add_study(secretary, _study(member, hours))
        assert "一条学习记录不能超过8学时" in refused.value.message_dict["hours"][0]
    with pytest.raises(ValidationError) as refused:
        services.add_study(secretary, _study(member, "0"))
    assert refused.value.message_dict["hours"] == ["学时应大于0"]
    assert list(StudyRecord.objects.values_list("hours", flat=True)) == [Decimal("8.0")]


def test_the_form_shows_the_bound_on_the_hours_field(client, world):
    member, secretary = world
    client.force_login(secretary)
    post = {"person": member.pk, "studied_on": DAY.isoformat(), "title": "网络学院", "hours": "31"}
    response = client.post(reverse("life:study_create"), post)
    assert response.status_code == 200
    [message] = response.context["form"].errors["hours"]
    assert "一条学习记录不能超过8学时" in message and "按天分别登记" in message
    assert not StudyRecord.objects.exists()


def test_the_api_refuses_a_31_hour_record_with_the_field_and_the_message(client, world):
    member, secretary = world
    response = client.post(
        "/api/v1/study-records",
        {"person_id": member.pk, "studied_on": DAY.isoformat(), "title": "网络学院", "hours": "31"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(secretary)}",
    )
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["field"] == "hours" and "一条学习记录不能超过8学时" in detail["message"]
    assert not StudyRecord.objects.exists()
