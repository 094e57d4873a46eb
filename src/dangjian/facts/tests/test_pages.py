"""The 事实与指标 page: the office's catalogue of every fact, and any fact's values for an organisation and year."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from dangjian.core.contributions import fact_definitions
from dangjian.meetings import services
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def world():
    t = make_tree()
    member = make_member(t.branch1, "甲一")
    return {
        "t": t,
        "member": member,
        "office": make_user("office", "office", t.root),
        "office_b2": make_user("office_b2", "office", t.branch2),
        "sec1": make_user("sec1", "secretary", t.branch1),
    }


def test_the_catalogue_lists_every_fact_with_its_definition(client, world):
    client.force_login(world["office"])
    response = client.get(reverse("facts:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for d in fact_definitions().values():
        assert f"<code>{d.key}</code>" in html
        assert str(d.label) in html
    assert "《中国共产党支部工作条例（试行）》第十一条" in html
    assert "RULES.md" not in html and "二手资料" not in html
    assert "组织生活合规" in html  # grouped under the app's name


def test_the_chooser_offers_only_organisations_in_scope(client, world):
    t = world["t"]
    client.force_login(world["office_b2"])
    html = client.get(reverse("facts:index")).content.decode()
    assert f'<option value="{t.branch2.pk}"' in html
    assert f'<option value="{t.branch1.pk}"' not in html and f'<option value="{t.root.pk}"' not in html


def test_an_organisation_outside_the_scope_is_404_both_ways(client, world):
    t = world["t"]
    client.force_login(world["office_b2"])
    assert client.get(reverse("facts:org", args=[t.branch1.pk])).status_code == 404
    assert client.get(reverse("facts:index"), {"org": t.branch1.pk}).status_code == 404
    assert client.get(reverse("facts:index"), {"org": "x"}).status_code == 404
    assert client.get(reverse("facts:org", args=[t.branch2.pk])).status_code == 200


def test_roles_without_the_permission_get_404(client, world):
    t = world["t"]
    client.force_login(world["sec1"])
    assert client.get(reverse("facts:index")).status_code == 404
    assert client.get(reverse("facts:org", args=[t.branch1.pk])).status_code == 404


def test_choosing_an_organisation_and_year_opens_its_values(client, world):
    t = world["t"]
    client.force_login(world["office"])
    response = client.get(reverse("facts:index"), {"org": t.general.pk, "year": 2025})
    assert response.status_code == 302
    assert response["Location"] == reverse("facts:org", args=[t.general.pk]) + "?year=2025"


def test_the_values_page_shows_value_breakdown_inputs_and_evidence(client, world):
    t = world["t"]
    client.force_login(world["office"])
    response = client.get(reverse("facts:org", args=[t.general.pk]), {"year": 2025})
    assert response.status_code == 200
    rows = {
        d.key: (v, breakdown, inputs)
        for _app, section in response.context["sections"]
        for d, v, breakdown, inputs in section
    }
    assert set(rows) == set(fact_definitions())
    value, breakdown, inputs = rows["people.members"]
    assert value.value == 1 and value.organization_id == t.general.pk
    assert ("40–49岁", 1) in breakdown
    html = response.content.decode()
    assert f'href="{escape(value.evidence_url)}"' in html
    assert "统计日" in html  # inputs are labelled, not shown as codes
    assert "不足5人或可推算出不足5人的组，不予显示" in html  # health: nobody screened


def test_one_fact_alone_and_an_unknown_fact_has_a_clear_empty_state(client, world):
    t = world["t"]
    client.force_login(world["office"])
    response = client.get(reverse("facts:org", args=[t.branch1.pk]), {"year": 2025, "key": "dues.paid_rate"})
    keys = [d.key for _app, section in response.context["sections"] for d, *_ in section]
    assert keys == ["dues.paid_rate"]
    response = client.get(reverse("facts:org", args=[t.branch1.pk]), {"year": 2025, "key": "no.such"})
    assert "没有找到该事实" in response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_values_page_does_not_grow_queries_with_data(client, world):
    t = world["t"]
    sec = make_user("sec_root", "secretary", t.root)
    client.force_login(world["office"])
    url = reverse("facts:org", args=[t.root.pk]) + "?year=2025"
    before = _queries(client, url)
    for i in range(6):
        make_member(t.branch2, f"乙{i}")
        when = datetime(2025, 1 + i, 5, 9, tzinfo=TZ)
        m = services.plan_meeting(
            sec,
            t.branch2.pk,
            {"kind": "lecture", "title": "党课", "starts_at": when, "ends_at": when + timedelta(hours=1)},
        )
        services.mark_held(sec, m.pk)
    assert _queries(client, url) == before
    assert before <= 55  # a handful per provider, whatever the tree (issue 15 added two providers, issue 16 the bands)
