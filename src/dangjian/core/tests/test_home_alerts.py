"""The home page gathers what needs a secretary's action beyond organisational life: development steps,
dues arrears, transfers waiting and lost-contact decisions (each source is tested in its own app)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.accounts.models import User


@pytest.fixture
def demo(institute_demo):
    """The demo institute shared by the whole run (``dangjian.pytest_plugin.institute_demo``)."""
    return institute_demo


@pytest.mark.django_db
def test_secretary_home_lists_development_arrears_transfers_and_lost_contact(client, demo):
    client.force_login(User.objects.get(username="secretary"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("core:home")).content.decode()
    assert "待办提醒" in html
    assert "组织关系" in html  # a transfer waiting for the secretary
    assert reverse("transfers:lost_detail", args=[1])[: -len("1/")] in html  # a lost-contact decision due
    assert reverse("development:overdue") in html or reverse("development:due") in html
    assert len(queries) < 60


@pytest.mark.django_db
def test_office_home_lists_members_six_months_in_arrears(client, demo):
    client.force_login(User.objects.get(username="office"))
    html = client.get(reverse("core:home")).content.decode()
    assert "连续" in html and "未交纳党费" in html  # 党员教育管理工作条例 art. 31


@pytest.mark.django_db
def test_menu_reaches_the_new_pages(client, demo):
    client.force_login(User.objects.get(username="office"))
    html = client.get(reverse("core:home")).content.decode()
    for name in ("development:funnel", "dues:ledger", "transfers:list", "transfers:lost_list"):
        url = reverse(name)
        assert f'href="{url}"' in html, name
        assert client.get(url).status_code == 200, name


@pytest.mark.django_db
def test_a_member_sees_no_management_alerts(client, demo):
    client.force_login(User.objects.get(username="member"))
    html = client.get(reverse("core:home")).content.decode()
    # his own lines (issue 13 §2), none of the branch's: no development, arrears, transfers, organisational life
    assert "我的记录" in html
    for kind in ("组织生活待办", "组织建设", "发展党员", "组织关系", "党费欠缴"):
        assert kind not in html, kind
