"""入党介绍人 is judged when named, in the service, the page's form and the API (issue 13 §3).

细则 第14条: "发展对象应当有两名正式党员作入党介绍人……受留党察看处分、尚未恢复党员权利的党员，不能作入党介绍人"
(the issue quotes it as "入党介绍人一般由培养联系人担任…应当是正式党员"). Before the fix anyone in scope — a
non-member, a probationary member, a member under 留党察看 — was stored as a sponsor, and the refusal came only at
step 9.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import ApiToken
from dangjian.core import context
from dangjian.development import services
from dangjian.development.models import Contact
from dangjian.people.models import Membership
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    t = make_tree()
    sec = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    applicant = make_person("王小明", department=t.dept1, birth=date(1998, 5, 1))
    with context.acting(sec):
        dev = services.open_case(sec, applicant.pk, t.branch1.pk, date(2024, 1, 10))
    return t, sec, dev


def _disciplined(t, name: str) -> object:
    person = make_member(t.branch1, name)
    today = timezone.localdate()
    Membership.objects.filter(person=person).update(
        discipline_probation_from=today - timedelta(days=30), discipline_probation_until=today + timedelta(days=300)
    )
    return person


def test_the_service_refuses_a_non_member_a_probationary_member_and_one_under_party_probation(world):
    t, sec, dev = world
    masses = make_person("群众甲", department=t.dept1)
    prob = make_member(t.branch1, "预备甲", status="probationary")
    sanctioned = _disciplined(t, "察看甲")
    with context.acting(sec):
        for person, why in ((masses, "不是正式党员"), (prob, "不是正式党员"), (sanctioned, "留党察看")):
            with pytest.raises(ValidationError) as exc:
                services.add_contact(sec, dev.pk, person.pk, "sponsor")
            message = exc.value.message_dict["person"][0]
            assert why in message and "第14条" in message, message
        assert not Contact.objects.filter(development=dev).exists()
        full = make_member(t.branch1, "正式甲")
        services.add_contact(sec, dev.pk, full.pk, "sponsor")
        # a talk or a training contact is not a sponsor: the 第14条 check is for sponsors only
        services.add_contact(sec, dev.pk, masses.pk, "talk")
    assert sorted(Contact.objects.values_list("person__name", "role")) == [("正式甲", "sponsor"), ("群众甲", "talk")]


def test_the_page_says_why_beside_the_person_field(world, client):
    t, sec, dev = world
    masses = make_person("群众乙", department=t.dept1)
    client.force_login(sec)
    url = reverse("development:contact", args=[dev.pk])
    r = client.post(url, {"person": masses.pk, "role": "sponsor"})
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert "入党介绍人应为正式党员：群众乙 不是正式党员" in errors["person"][0]
    assert not Contact.objects.exists()


def test_the_api_refuses_with_the_reason(world, client):
    t, sec, dev = world
    masses = make_person("群众丙", department=t.dept1)
    r = client.post(
        f"/api/v1/development/cases/{dev.pk}/contacts",
        {"person_id": masses.pk, "role": "sponsor"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(sec)}",
    )
    assert r.status_code == 422
    assert "入党介绍人应为正式党员：群众丙 不是正式党员" in r.json()["detail"][0]["message"]
    assert not Contact.objects.exists()
