"""Probation: the conversion meeting waits for the end of probation (细则 第32、33条); the single extension of
6 to 12 months moves that end, the conversion gate and party standing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.development import services
from dangjian.development.models import ProbationExtension
from dangjian.development.timeline import BLOCKED, DUE, timeline
from dangjian.people.models import Membership
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db

VOTES = {"votes_due": 9, "votes_present": 8, "votes_yes": 7}
MEETING = date(2023, 9, 5)  # the branch meeting that admitted: probation ends 2024-09-05
DAYS = {1: date(2022, 1, 10), 2: date(2022, 1, 20), 3: date(2022, 8, 1), 7: date(2023, 8, 1), 15: MEETING}
REVIEWS = (date(2023, 1, 20), date(2023, 7, 15))


@pytest.fixture
def world():
    t = make_tree()
    sec = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    sec2 = make_user("sec2", "secretary", t.branch2, person=make_member(t.branch2, "书记乙"))
    office = make_user("office", "office", t.root)
    applicant = make_person("周预备", department=t.dept1, birth=date(1995, 2, 1))
    a, b = make_member(t.branch1, "张介绍"), make_member(t.branch1, "王介绍")
    with context.acting(sec):
        yield t, sec, sec2, office, applicant, a, b


def through(world, last: int):
    """A case recorded through step ``last`` (the reviews after step 6), admitted on ``MEETING``."""
    t, sec, sec2, office, applicant, a, b = world
    dev = services.open_case(sec, applicant.pk, t.branch1.pk, DAYS[1])
    services.add_contact(sec, dev.pk, a.pk, "training_contact")
    services.add_contact(sec, dev.pk, a.pk, "sponsor")
    services.add_contact(sec, dev.pk, b.pk, "sponsor")
    day = DAYS[1]
    for number in range(1, last + 1):
        day = DAYS.get(number, day)
        services.record_step(sec, dev.pk, number, {"done_on": day, "training_days": 3, **VOTES})
        if number == 6:
            for reviewed_on in REVIEWS:
                services.add_review(sec, dev.pk, reviewed_on, "表现良好")
    return dev


def _item(dev, today, number):
    return next(i for i in timeline(dev, today) if i.step.number == number)


def _meeting(world, dev, day):
    return services.record_step(world[1], dev.pk, 23, {"done_on": day, **VOTES})


# --- the conversion meeting waits for the end of probation --------------------------------------------------------


def test_conversion_meeting_is_blocked_the_day_before_probation_ends_and_allowed_on_that_day(world):
    dev = through(world, 22)
    item = _item(dev, date(2024, 9, 4), 23)
    assert item.status == BLOCKED and item.earliest == date(2024, 9, 5)
    assert "预备期未满" in item.check.reason and "2024-09-05" in item.check.reason
    assert "第32条" in item.check.citation
    with pytest.raises(ValidationError, match="预备期未满"):
        _meeting(world, dev, date(2024, 9, 4))
    assert _item(dev, date(2024, 9, 5), 23).status == DUE
    _meeting(world, dev, date(2024, 9, 5))
    services.record_step(world[1], dev.pk, 24, {"done_on": date(2024, 10, 1)})
    membership = Membership.objects.current().get(person=dev.person)
    assert (membership.status, membership.converted_on) == ("full", date(2024, 9, 5))


def test_office_override_lets_an_early_conversion_meeting_through(world):
    t, sec, sec2, office, *_ = world
    dev = through(world, 22)
    with context.acting(office):
        services.override(office, dev.pk, "conversion_meeting", "经党委研究同意（特殊情况）")
    rec = _meeting(world, dev, date(2024, 6, 1))
    event = AuditEvent.objects.get(object_type="development.steprecord", object_id=str(rec.pk))
    assert "预备期未满" in event.detail["blocked_reason"]


# --- the extension ------------------------------------------------------------------------------------------------


def test_probation_extended_once_moves_the_conversion_and_party_standing(world):
    sec = world[1]
    dev = through(world, 22)
    ext = services.extend_probation(sec, dev.pk, 6, date(2024, 9, 5), "思想汇报不及时，需继续考察")
    assert AuditEvent.objects.filter(object_type="development.probationextension", object_id=str(ext.pk)).exists()
    item = _item(dev, date(2025, 3, 4), 23)
    assert item.status == BLOCKED and item.earliest == date(2025, 3, 5) and "延长6个月" in item.check.reason
    with pytest.raises(ValidationError, match="预备期未满"):
        _meeting(world, dev, date(2024, 9, 5))  # the regular year is no longer enough
    with pytest.raises(ValidationError, match="预备期未满"):
        _meeting(world, dev, date(2025, 3, 4))
    _meeting(world, dev, date(2025, 3, 5))
    services.record_step(sec, dev.pk, 24, {"done_on": date(2025, 4, 1)})
    membership = Membership.objects.current().get(person=dev.person)
    assert (membership.status, membership.converted_on) == ("full", date(2025, 3, 5))


def test_a_probation_extended_twice_is_refused(world):
    sec = world[1]
    dev = through(world, 22)
    services.extend_probation(sec, dev.pk, 12, date(2024, 9, 5), "需继续考察")
    with pytest.raises(ValidationError, match="只能延长1次") as exc:
        services.extend_probation(sec, dev.pk, 6, date(2024, 10, 1), "再次延长")
    assert "第32条" in str(exc.value)
    assert ProbationExtension.objects.filter(development=dev).count() == 1
    assert _item(dev, date(2025, 9, 4), 23).earliest == date(2025, 9, 5)  # 12 months after 2024-09-05


@pytest.mark.parametrize("months,ok", [(5, False), (6, True), (12, True), (13, False)])
def test_extension_is_six_to_twelve_months(world, months, ok):
    dev = through(world, 22)
    if ok:
        services.extend_probation(world[1], dev.pk, months, date(2024, 9, 5), "需继续考察")
        assert ProbationExtension.objects.get(development=dev).months == months
    else:
        with pytest.raises(ValidationError, match="不少于6个月、不超过12个月"):
            services.extend_probation(world[1], dev.pk, months, date(2024, 9, 5), "需继续考察")


def test_extension_only_while_probationary_and_with_a_reason(world):
    sec = world[1]
    dev = through(world, 16)  # admission not yet approved
    with pytest.raises(ValidationError, match="只有预备党员"):
        services.extend_probation(sec, dev.pk, 6, date(2024, 9, 5), "需继续考察")
    services.record_step(sec, dev.pk, 17, {"done_on": MEETING})
    with pytest.raises(ValidationError, match="理由"):
        services.extend_probation(sec, dev.pk, 6, date(2024, 9, 5), "  ")
    with pytest.raises(ValidationError, match="决定日期"):
        services.extend_probation(sec, dev.pk, 6, date(2023, 9, 4), "需继续考察")


def test_extension_page_is_on_the_case_page_in_the_secretarys_scope(world, client):
    t, sec, sec2, *_ = world
    dev = through(world, 22)
    client.force_login(sec)
    page = client.get(reverse("development:detail", args=[dev.pk])).content.decode()
    assert 'id="extension-form"' in page and "data-confirm" in page
    url = reverse("development:extension", args=[dev.pk])
    response = client.post(url, {"months": 13, "decided_on": "2024-09-05", "reason": "需继续考察"})
    assert response.status_code == 200 and "不超过12个月" in response.content.decode()
    response = client.post(url, {"months": 6, "decided_on": "2024-09-05", "reason": "需继续考察"})
    assert response.status_code == 302
    page = client.get(reverse("development:detail", args=[dev.pk])).content.decode()
    assert "延长预备期 6 个月" in page and 'id="extension-form"' not in page
    client.force_login(sec2)
    assert client.post(url, {"months": 6, "decided_on": "2024-09-05", "reason": "x"}).status_code == 404


def test_bulk_status_sees_the_extension_like_the_case_page(world):
    from dangjian.development.bulk import bulk_status
    from dangjian.development.models import Development
    from dangjian.development.timeline import summarize

    dev = through(world, 22)
    services.extend_probation(world[1], dev.pk, 6, date(2024, 9, 5), "需继续考察")
    for today, status in ((date(2025, 3, 4), BLOCKED), (date(2025, 3, 5), DUE)):
        got = bulk_status(Development.objects.filter(pk=dev.pk), today)[dev.pk].summary
        assert got.status == summarize(timeline(dev, today), today).status == status
