"""The development router's record writes: contacts, an activist's reviews, the extension of probation and the
office's override, each through the page's service (its rules, Chinese refusals and audit on the api channel) and
404 outside the scope or without the permission."""

from datetime import date

import pytest

from dangjian.accounts.models import ApiToken
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.development import services
from dangjian.development.models import ActivistReview, Contact, Override, ProbationExtension
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db

JSON = "application/json"
# the days the probation tests use: admitted by the branch meeting on 2023-09-05
DAYS = {1: date(2022, 1, 10), 2: date(2022, 1, 20), 3: date(2022, 8, 1), 7: date(2023, 8, 1), 15: date(2023, 9, 5)}
VOTES = {"votes_due": 9, "votes_present": 8, "votes_yes": 7}


@pytest.fixture
def world():
    t = make_tree()
    sec1 = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    sec2 = make_user("sec2", "secretary", t.branch2, person=make_member(t.branch2, "书记乙"))
    office = make_user("office", "office", t.root)
    office2 = make_user("office2", "office", t.branch2)
    applicant = make_person("周申请", department=t.dept1, birth=date(1995, 2, 1))
    contact = make_member(t.branch1, "张联系")
    return t, sec1, sec2, office, office2, applicant, contact


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def _case(world, last: int = 1):
    """A case recorded through step ``last``, with the contacts and reviews the later steps need."""
    t, sec1, sec2, office, office2, applicant, contact = world
    other = make_member(t.branch1, "王介绍")
    with context.acting(sec1):
        dev = services.open_case(sec1, applicant.pk, t.branch1.pk, DAYS[1])
        if last >= 4:
            services.add_contact(sec1, dev.pk, contact.pk, "training_contact")
            services.add_contact(sec1, dev.pk, contact.pk, "sponsor")
            services.add_contact(sec1, dev.pk, other.pk, "sponsor")
        day = DAYS[1]
        for number in range(1, last + 1):
            day = DAYS.get(number, day)
            services.record_step(sec1, dev.pk, number, {"done_on": day, "training_days": 3, **VOTES})
            if number == 6:
                for reviewed_on in (date(2023, 1, 20), date(2023, 7, 15)):
                    services.add_review(sec1, dev.pk, reviewed_on, "表现良好")
    return dev


def _post(client, user, url, body):
    return client.post(f"/api/v1/development/cases/{url}", body, content_type=JSON, **auth(user))


def test_a_training_contact_is_added_audited_on_the_api_channel(client, world):
    t, sec1, sec2, office, office2, applicant, contact = world
    dev = _case(world)
    r = _post(client, sec1, f"{dev.pk}/contacts", {"person_id": contact.pk, "role": "training_contact"})
    assert r.status_code == 201, r.content
    assert [(c["name"], c["role"]) for c in r.json()["contacts"]] == [("张联系", "training_contact")]
    added = Contact.objects.get(development=dev)
    event = AuditEvent.objects.get(action="create", object_type="development.contact", object_id=str(added.pk))
    assert event.channel == "api" and event.actor == sec1
    again = _post(client, sec1, f"{dev.pk}/contacts", {"person_id": contact.pk, "role": "training_contact"})
    assert again.status_code == 422 and "已是培养联系人" in again.json()["detail"][0]["message"]


def test_a_contact_must_be_someone_the_user_sees_and_not_the_applicant(client, world):
    t, sec1, sec2, office, office2, applicant, contact = world
    dev = _case(world)
    stranger = make_member(t.branch2, "乙支部党员")
    for person in (stranger, applicant):
        r = _post(client, sec1, f"{dev.pk}/contacts", {"person_id": person.pk, "role": "sponsor"})
        assert r.status_code == 422 and r.json()["detail"][0]["field"] == "person_id"
        assert r.json()["detail"][0]["message"] == "人员不存在或不在您的管理范围内"
    r = _post(client, sec1, f"{dev.pk}/contacts", {"person_id": contact.pk, "role": "boss"})
    assert r.status_code == 422 and r.json()["detail"][0]["message"].startswith("无效的取值")
    assert not Contact.objects.exists()


def test_records_of_a_case_outside_the_scope_are_404(client, world):
    t, sec1, sec2, office, office2, applicant, contact = world
    dev = _case(world)
    bodies = {
        "contacts": {"person_id": contact.pk, "role": "sponsor"},
        "reviews": {"reviewed_on": "2022-09-01", "summary": "好"},
        "extensions": {"months": 6, "decided_on": "2024-01-01", "reason": "需继续考察"},
        "overrides": {"step_code": "confirm_candidate", "reason": "特殊"},
    }
    for part, body in bodies.items():
        r = _post(client, sec2, f"{dev.pk}/{part}", body)
        assert r.status_code == 404 and r.json() == {"detail": "对象不存在"}, part
    assert not AuditEvent.objects.filter(channel="api").exists()


def test_an_activists_review_is_recorded_between_the_activist_date_and_today(client, world):
    t, sec1, sec2, office, office2, applicant, contact = world
    dev = _case(world, last=3)
    early = _post(client, sec1, f"{dev.pk}/reviews", {"reviewed_on": "2022-07-01", "summary": "好"})
    assert (
        early.status_code == 422
        and "考察日期应在确定为入党积极分子之日 2022-08-01" in early.json()["detail"][0]["message"]
    )
    r = _post(
        client,
        sec1,
        f"{dev.pk}/reviews",
        {"reviewed_on": "2023-02-01", "summary": "学习认真", "reviewer_id": contact.pk},
    )
    assert r.status_code == 201, r.content
    assert r.json()["reviews"] == [
        {
            "id": ActivistReview.objects.get().pk,
            "reviewed_on": "2023-02-01",
            "reviewer_id": contact.pk,
            "summary": "学习认真",
        }
    ]
    assert AuditEvent.objects.filter(object_type="development.activistreview", channel="api").count() == 1


def test_a_review_before_the_activist_stage_is_refused_in_chinese(client, world):
    dev = _case(world, last=1)
    r = _post(client, world[1], f"{dev.pk}/reviews", {"reviewed_on": "2022-02-01", "summary": "好"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["message"] == "只能在确定为入党积极分子之后、确定为发展对象之前记录考察"


def test_probation_is_extended_once_and_the_second_extension_is_refused(client, world):
    dev = _case(world, last=22)
    sec1 = world[1]
    r = _post(client, sec1, f"{dev.pk}/extensions", {"months": 6, "decided_on": "2024-08-20", "reason": "需继续考察"})
    assert r.status_code == 201, r.content
    assert [(e["months"], e["decided_on"]) for e in r.json()["extensions"]] == [(6, "2024-08-20")]
    assert AuditEvent.objects.filter(object_type="development.probationextension", channel="api").count() == 1
    again = _post(client, sec1, f"{dev.pk}/extensions", {"months": 6, "decided_on": "2024-08-21", "reason": "再延"})
    assert again.status_code == 422 and ProbationExtension.objects.count() == 1


def test_an_extension_before_admission_is_refused(client, world):
    dev = _case(world, last=3)
    r = _post(client, world[1], f"{dev.pk}/extensions", {"months": 6, "decided_on": "2024-01-01", "reason": "x"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["message"] == "只有预备党员（接收已批准、尚未讨论转正）才能延长预备期"


def test_only_the_office_over_the_branch_overrides_a_blocked_check(client, world):
    t, sec1, sec2, office, office2, applicant, contact = world
    dev = _case(world, last=6)
    body = {"step_code": "confirm_candidate", "reason": "经党委研究同意提前"}
    assert _post(client, sec1, f"{dev.pk}/overrides", body).status_code == 404  # the secretary may not
    assert _post(client, office2, f"{dev.pk}/overrides", body).status_code == 404  # another subtree's office
    blank = _post(client, office, f"{dev.pk}/overrides", {"step_code": "confirm_candidate", "reason": "  "})
    assert blank.status_code == 422 and blank.json()["detail"][0]["message"] == "例外放行必须填写理由"
    unknown = _post(client, office, f"{dev.pk}/overrides", {"step_code": "nowhere", "reason": "x"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["message"] == "步骤 nowhere 不存在"
    r = _post(client, office, f"{dev.pk}/overrides", body)
    assert r.status_code == 201, r.content
    assert [(o["step_code"], o["by"]) for o in r.json()["overrides"]] == [("confirm_candidate", "office")]
    ov = Override.objects.get()
    assert AuditEvent.objects.get(object_type="development.override", object_id=str(ov.pk)).channel == "api"
    assert client.get(f"/api/v1/development/cases/{dev.pk}", **auth(sec1)).json()["overrides"][0]["reason"] == (
        "经党委研究同意提前"
    )
