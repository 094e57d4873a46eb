"""Pages stay small and never fail on odd input: person pickers are bounded (search by name or ID number), the
publicity notice refuses a start date out of range in Chinese."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core import context
from dangjian.core.forms import PICK_LIMIT
from dangjian.development import services
from dangjian.development.models import StepRecord
from dangjian.testing import make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    t = make_tree()
    sec = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    office = make_user("office", "office", t.root)
    applicant = make_person("郑申请", department=t.dept1, birth=date(1990, 1, 1), political_status="masses")
    with context.acting(sec):
        dev = services.open_case(sec, applicant.pk, t.branch1.pk, date(2024, 3, 1))
        yield t, sec, office, applicant, dev


def _candidate(dev, sec) -> None:
    StepRecord.objects.create(
        development=dev, number=7, code="confirm_candidate", done_on=dev.started_on, recorded_by=sec
    )


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, name
    return [v for v in re.findall(r'<option value="([^"]*)"', select.group(0)) if v]


def _crowd(t, n):
    for i in range(n):
        make_person(f"群众{i:03d}", department=t.dept2, political_status="masses")


def test_case_open_lists_at_most_the_pick_limit_and_says_so(world, client):
    t, sec, office, applicant, dev = world
    _crowd(t, PICK_LIMIT + 30)
    client.force_login(office)
    html = client.get(reverse("development:open")).content.decode()
    assert len(_options(html, "person")) == PICK_LIMIT
    assert "只列出前" in html and 'name="q"' in html
    # a search by name or by ID number narrows the choices
    html = client.get(reverse("development:open"), {"q": "群众01"}).content.decode()
    assert len(_options(html, "person")) == 10
    html = client.get(reverse("development:open"), {"q": applicant.id_number}).content.decode()
    assert _options(html, "person") == [str(applicant.pk)] and "只列出前" not in html


def test_case_open_preset_person_and_post_still_work(world, client):
    t, sec, office, applicant, dev = world
    other = make_person("钱新人", department=t.dept1, birth=date(1992, 1, 1), political_status="masses")
    _crowd(t, 5)
    client.force_login(sec)
    html = client.get(reverse("development:open"), {"person": other.pk}).content.decode()
    assert _options(html, "person") == [str(other.pk)] and "selected" in html
    response = client.post(
        reverse("development:open"), {"person": other.pk, "branch": t.branch1.pk, "applied_on": "2024-05-01"}
    )
    assert response.status_code == 302


def test_contact_and_actor_pickers_on_the_case_page_are_bounded(world, client):
    t, sec, office, applicant, dev = world
    _crowd(t, PICK_LIMIT + 5)
    client.force_login(office)
    url = reverse("development:detail", args=[dev.pk])
    html = client.get(url).content.decode()
    assert len(_options(html, "person")) == PICK_LIMIT and len(_options(html, "actor")) == PICK_LIMIT
    assert "只列出前" in html
    html = client.get(url, {"q": "书记甲"}).content.decode()
    assert len(_options(html, "person")) == 1
    # a person beyond the first page of choices can still be posted (found by the search)
    last = make_person("龚最后", department=t.dept2, political_status="masses")
    response = client.post(reverse("development:contact", args=[dev.pk]), {"person": last.pk, "role": "talk"})
    assert response.status_code == 302 and dev.contacts.filter(person=last).exists()


@pytest.mark.parametrize("start", ["9999-12-31", "2000-01-01", "2024-02-29", "not-a-date", "2024-13-01"])
def test_notice_start_date_out_of_range_answers_in_chinese_not_500(world, client, start):
    t, sec, office, applicant, dev = world
    _candidate(dev, sec)  # the notice's stage (a 发展对象)
    client.force_login(sec)
    response = client.get(reverse("development:notice", args=[dev.pk]), {"start": start}, follow=True)
    assert response.status_code == 200
    assert "公示开始日期无效" in response.content.decode()


def test_notice_start_date_within_range_gives_the_document(world, client):
    t, sec, office, applicant, dev = world
    _candidate(dev, sec)  # the notice's stage (a 发展对象)
    client.force_login(sec)
    url = reverse("development:notice", args=[dev.pk])
    ahead = timezone.localdate() + timedelta(days=365)
    for start in ("2024-03-01", ahead.isoformat(), ""):
        response = client.get(url, {"start": start})
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"], start
    assert client.get(url, {"start": (ahead + timedelta(days=1)).isoformat()}).status_code == 302
