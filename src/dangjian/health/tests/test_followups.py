"""Assigning a health officer, recording contacts (encrypted, audited without text), closing and reopening."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import RoleAssignment
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.health import followups
from dangjian.health.models import Checkup, Consent, FollowUp, FollowUpRecord
from dangjian.testing import make_user

from .results import YEAR, make_result

pytestmark = pytest.mark.django_db
ADVICE = "建议低盐饮食并于三个月后复查血压XYZ"


@pytest.fixture(autouse=True)
def consent(world):
    """Follow-up needs the year's active consent; each test that needs its absence withdraws it."""
    for p in (world["p1"], world["p2"]):
        Consent.objects.create(person=p, year=YEAR, given_on=date(YEAR, 1, 1), given_recorded_by=world["ho_all"])


def page(person, year=YEAR) -> str:
    return reverse("health:follow_up", args=[person.pk, year])


def record_data(**overrides) -> dict:
    today = timezone.localdate()
    return {
        "contact_on": today.isoformat(),
        "advice": ADVICE,
        "referral": "on",
        "referral_to": "市第一医院心内科",
        "exam": "动态血压监测",
        "exam_booked_on": today.isoformat(),
        "result": "",
        "next_check_on": (today + timedelta(days=90)).isoformat(),
        **overrides,
    }


def audit_text() -> str:
    return " ".join(f"{e.before} {e.after} {e.detail} {e.object_repr}" for e in AuditEvent.objects.all())


def test_officer_sees_the_result_and_the_view_is_audited(client, world):
    p1, ho1 = world["p1"], world["ho1"]
    make_result(p1, by=ho1, cvd=12.345, missing={"gastric": ["age"]})
    client.force_login(ho1)
    html = client.get(page(p1)).content.decode()
    assert "12.3%" in html and "高危" in html and "未满40岁，不适用" in html
    event = AuditEvent.objects.filter(action="view_sensitive").latest("id")
    assert event.object_id == str(p1.pk) and event.detail == {"what": "health_follow_up", "year": YEAR}


def test_follow_up_pages_are_404_out_of_scope_and_for_other_roles(client, world):
    p1 = world["p1"]
    make_result(p1, by=world["ho1"], cvd=12.0)
    urls = [page(p1)] + [reverse(f"health:follow_up_{n}", args=[p1.pk, YEAR]) for n in ("assign", "close", "reopen")]
    for who in ("ho2", "sec1", "leader"):
        client.force_login(world[who])
        for url in urls:
            assert client.get(url).status_code in (404, 405), (who, url)
            assert client.post(url, {"officer": world["ho2"].pk}).status_code == 404, (who, url)
    assert not FollowUp.objects.exists()
    client.force_login(world["ho1"])
    assert client.get(page(p1, 1999)).status_code == 404


def test_candidates_are_active_health_officers_whose_scope_covers_the_person(world):
    p1, ho1, ho_all = world["p1"], world["ho1"], world["ho_all"]
    gone = make_user("gone", "health_officer", world["t"].branch1)
    gone.is_active = False
    gone.save()
    revoked = make_user("revoked", "health_officer", world["t"].branch1)
    RoleAssignment.objects.filter(user=revoked).update(revoked_at=timezone.now())
    assert followups.candidates(p1) == sorted([ho1, ho_all], key=lambda u: u.username)
    assert world["ho2"] in followups.candidates(world["p2"])


def test_assignment_creates_the_follow_up_and_refuses_an_out_of_scope_officer(world):
    p1, ho1, ho2, ho_all = world["p1"], world["ho1"], world["ho2"], world["ho_all"]
    with context.acting(ho_all):
        with pytest.raises(ValidationError, match="负责范围不包括张一"):
            followups.assign(ho_all, p1.pk, YEAR, ho2.pk)
        with pytest.raises(ValidationError, match="请选择在职的健康管理员"):
            followups.assign(ho_all, p1.pk, YEAR, world["sec1"].pk)
        fu = followups.assign(ho_all, p1.pk, YEAR, ho1.pk)
    assert (fu.assigned_to, fu.assigned_on, fu.status) == (ho1, timezone.localdate(), "open")
    with context.acting(ho2), pytest.raises(Http404):
        followups.assign(ho2, p1.pk, YEAR, ho2.pk)
    event = AuditEvent.objects.get(object_type="health.followup")
    assert event.action == "create" and event.after["assigned_to_id"] == ho1.pk


def test_assign_through_the_page(client, world):
    p1, ho1, ho_all = world["p1"], world["ho1"], world["ho_all"]
    client.force_login(ho_all)
    html = client.get(page(p1)).content.decode()
    assert f'value="{ho1.pk}"' in html and f'value="{world["ho2"].pk}"' not in html
    response = client.post(reverse("health:follow_up_assign", args=[p1.pk, YEAR]), {"officer": ho1.pk})
    assert response.status_code == 302
    assert FollowUp.objects.get(person=p1).assigned_to == ho1
    response = client.post(reverse("health:follow_up_assign", args=[p1.pk, YEAR]), {"officer": world["ho2"].pk})
    assert response.status_code == 200
    assert "有效的选项" in response.content.decode()  # ho2 is not offered: his scope does not cover 张一
    assert FollowUp.objects.get(person=p1).assigned_to == ho1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contact_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "联系日期不能晚于今天"),
        ({"contact_on": date(YEAR - 1, 12, 31).isoformat()}, "联系日期不能早于该年度1月1日"),
        ({"advice": "  "}, "请填写随访建议"),
        ({"referral_to": ""}, "已勾选转诊，请填写转诊去向"),
        ({"next_check_on": timezone.localdate().isoformat()}, "下次复查日期应晚于联系日期"),
        ({"contact_on": ""}, "请填写联系日期"),
    ],
)
def test_record_validation_messages(client, world, overrides, message):
    client.force_login(world["ho1"])
    response = client.post(page(world["p1"]), record_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FollowUpRecord.objects.exists()


def test_contact_before_the_years_checkup_is_refused(world):
    p1, ho1 = world["p1"], world["ho1"]
    today = timezone.localdate()
    checkup = Checkup(person=p1, year=YEAR, checked_on=today, source="manual")
    checkup.set_values({"sbp_mmhg": 150.0})
    checkup.save()
    data = {"contact_on": today - timedelta(days=1), "advice": ADVICE}
    with context.acting(ho1), pytest.raises(ValidationError, match="联系日期不能早于该年度体检日期"):
        followups.add_record(ho1, p1.pk, YEAR, data)


def test_the_person_record_links_each_years_follow_up(client, world):
    p1 = world["p1"]
    checkup = Checkup(person=p1, year=YEAR, checked_on=timezone.localdate(), source="manual")
    checkup.set_values({"sbp_mmhg": 150.0})
    checkup.save()
    client.force_login(world["ho1"])
    html = client.get(reverse("health:person", args=[p1.pk])).content.decode()
    assert page(p1) in html


def test_adding_records_updates_the_follow_up_encrypts_text_and_audits_no_text(client, world):
    p1, ho1 = world["p1"], world["ho1"]
    today = timezone.localdate()
    client.force_login(ho1)
    assert client.post(page(p1), record_data()).status_code == 302
    fu = FollowUp.objects.get(person=p1, year=YEAR)
    assert (fu.assigned_to, fu.last_contact_on, fu.next_check_on) == (ho1, today, today + timedelta(days=90))
    older = record_data(contact_on=date(YEAR, 1, 1).isoformat(), advice="较早一次的建议", referral="")
    older["next_check_on"] = date(YEAR, 1, 2).isoformat()
    assert client.post(page(p1), older).status_code == 302
    fu.refresh_from_db()
    assert fu.last_contact_on == today and fu.next_check_on == today + timedelta(days=90)  # newest contact wins

    html = client.get(page(p1)).content.decode()
    assert html.index(ADVICE) < html.index("较早一次的建议")  # newest first, decrypted
    assert "市第一医院心内科" in html

    with connection.cursor() as cur:
        cur.execute("SELECT ciphertext FROM health_followuprecord")
        raw = b"".join(bytes(r[0]) for r in cur.fetchall())
    assert ADVICE.encode() not in raw and "心内科".encode() not in raw
    text = audit_text()
    for secret in (ADVICE, "心内科", "动态血压", "较早一次"):
        assert secret not in text
    assert AuditEvent.objects.filter(object_type="health.followuprecord", action="create").count() == 2


def test_closing_asks_for_confirmation_then_blocks_records_until_reopened(client, world):
    p1, ho1 = world["p1"], world["ho1"]
    client.force_login(ho1)
    client.post(page(p1), record_data())
    close = reverse("health:follow_up_close", args=[p1.pk, YEAR])
    html = client.get(close).content.decode()
    assert "确定结束吗" in html
    assert FollowUp.objects.get().status == "open"
    assert client.post(close).status_code == 302
    fu = FollowUp.objects.get()
    assert (fu.status, fu.closed_on) == ("closed", timezone.localdate())
    with context.acting(ho1), pytest.raises(ValidationError, match="该随访已结束"):
        followups.add_record(ho1, p1.pk, YEAR, {"contact_on": timezone.localdate(), "advice": "x"})
    assert "添加随访记录" not in client.get(page(p1)).content.decode()
    assert client.post(reverse("health:follow_up_reopen", args=[p1.pk, YEAR])).status_code == 302
    fu.refresh_from_db()
    assert (fu.status, fu.closed_on) == ("open", None)
    events = AuditEvent.objects.filter(object_type="health.followup").order_by("id")
    actions = list(events.values_list("action", flat=True))
    assert actions == ["create", "update", "update"]


def test_no_follow_up_without_active_consent_and_withdrawal_closes_it(client, world):
    from dangjian.health import services
    from dangjian.health.models import ScreeningResult

    p1, ho1 = world["p1"], world["ho1"]
    make_result(p1, by=ho1, cvd=12.0)
    with context.acting(ho1):
        followups.assign(ho1, p1.pk, YEAR, ho1.pk)
        services.withdraw_consent(ho1, p1.pk, YEAR, timezone.localdate())
    fu = FollowUp.objects.get(person=p1, year=YEAR)
    assert fu.status == "closed"
    assert not ScreeningResult.objects.filter(person=p1, year=YEAR).exists()  # PIPL art. 15, 47
    assert AuditEvent.objects.filter(action="delete", object_type="health.screeningresult").exists()
    with context.acting(ho1), pytest.raises(ValidationError, match="未同意或已撤回"):
        followups.add_record(ho1, p1.pk, YEAR, {"contact_on": timezone.localdate(), "advice": "x"})
    with context.acting(ho1), pytest.raises(ValidationError, match="未同意或已撤回"):
        followups.reopen(ho1, p1.pk, YEAR)
    client.force_login(ho1)
    assert p1.name not in client.get(reverse("health:queue"), {"need": "all"}).content.decode()


def test_a_checkup_reimported_after_the_run_marks_the_result_stale(client, world):
    from datetime import timedelta as td

    from dangjian.health.models import ScreeningRun

    p1, ho1 = world["p1"], world["ho1"]
    make_result(p1, by=ho1, cvd=12.0)
    checkup = Checkup(person=p1, year=YEAR, checked_on=date(YEAR, 1, 2))
    checkup.set_values({"sbp_mmhg": 150.0})
    checkup.save()
    ScreeningRun.objects.update(started_at=checkup.updated_at + td(minutes=1))  # the run read this checkup
    client.force_login(ho1)
    assert 'id="result-stale"' not in client.get(page(p1)).content.decode()
    ScreeningRun.objects.update(started_at=checkup.updated_at - td(minutes=1))  # re-imported after the run
    assert 'id="result-stale"' in client.get(page(p1)).content.decode()
