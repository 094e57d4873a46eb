"""三张清单: seeded from a computed cycle's lost points, completed by the unit's secretary with evidence, accepted or
reopened by the office, withdrawn never deleted; scope (another branch's secretary gets 404), the overdue home
item, and the list's constant number of queries."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment import cycles, rectifications
from dangjian.assessment.models import Rectification, RectificationStatus
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.testing import make_tree, make_user

from .cycle_factories import open_cycle, published_system, theme_day

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    t = make_tree()
    office = make_user("office_root", "office", t.root)
    sec1 = make_user("sec1", "secretary", t.branch1)
    sec2 = make_user("sec2", "secretary", t.branch2)
    with context.acting(office):
        system = published_system(office)
        theme_day(t.branch1, date(2026, 3, 10))
        cycle = open_cycle(office, system, [t.branch1, t.branch2])
        cycles.compute(cycle, office)
        leaf = cycle.system.indicators.get(name="通报批评")
        cycles.record_occurrence(
            office, cycle.pk, unit_id=t.branch1.pk, indicator_id=leaf.pk, magnitude=1, reason="迟报"
        )
    return t, office, sec1, sec2, cycle


def _item(user, org, deadline=None):
    data = rectifications.RectificationData(
        problem="三会一课不规范", measure="按月召开", deadline=deadline or date(2026, 12, 31), owner_text="张三"
    )
    with context.acting(user):
        return rectifications.create(user, org.pk, data)


def test_seeding_makes_one_item_per_lost_leaf_and_skips_those_already_seeded(world):
    t, office, sec1, sec2, cycle = world
    lost = rectifications.lost_points(cycle, t.branch1.pk)
    assert lost, "the small system's branch loses points on the meetings leaf and the deduction"
    with context.acting(office):
        first = rectifications.seed_from_cycle(office, cycle, t.branch1)
        again = rectifications.seed_from_cycle(office, cycle, t.branch1)
    assert len(first) == len({leaf.pk for leaf, _text in lost}) and again == []
    assert all(i.status == RectificationStatus.OPEN and i.cycle_id == cycle.pk for i in first)
    assert any("迟报" in i.problem for i in first)
    assert AuditEvent.objects.filter(action="create", object_type__icontains="rectification").count() >= len(first)
    with context.acting(sec1), pytest.raises(Http404):  # the secretary does not seed their own lists
        rectifications.seed_from_cycle(sec1, cycle, t.branch1)


def test_the_workflow_open_done_reopened_done_accepted_and_withdrawn(world):
    t, office, sec1, sec2, cycle = world
    item = _item(sec1, t.branch1)
    with context.acting(sec1):
        with pytest.raises(ValidationError):
            rectifications.complete(sec1, item.pk, note="  ")
        rectifications.complete(sec1, item.pk, note="已整改", upload=SimpleUploadedFile("a.pdf", PDF))
        with pytest.raises(Http404):  # the secretary never accepts their own
            rectifications.accept(sec1, item.pk)
    with context.acting(office):
        with pytest.raises(ValidationError):
            rectifications.reopen(office, item.pk, note="")
        rectifications.reopen(office, item.pk, note="材料不全")
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN and item.review_note == "材料不全"
    with context.acting(sec1):
        rectifications.complete(sec1, item.pk, note="补充材料")
    with context.acting(office):
        rectifications.accept(office, item.pk, note="同意销号")
        item.refresh_from_db()
        assert item.status == RectificationStatus.ACCEPTED and item.accepted_by == office
        rectifications.withdraw(office, item.pk, reason="重复登记")
    item.refresh_from_db()
    assert item.status == RectificationStatus.WITHDRAWN and Rectification.objects.filter(pk=item.pk).exists()


def test_pages_walk_the_workflow_and_another_branch_gets_404(client, world):
    t, office, sec1, sec2, cycle = world
    client.force_login(office)
    seed = reverse("assessment:rectification_seed", args=[cycle.pk, t.branch1.pk])
    assert (
        "生成问题清单" in client.get(reverse("assessment:cycle_unit", args=[cycle.pk, t.branch1.pk])).content.decode()
    )
    assert client.post(seed).status_code == 302
    item = Rectification.objects.filter(organization=t.branch1).first()
    client.force_login(sec1)
    listing = client.get(reverse("assessment:rectifications")).content.decode()
    assert reverse("assessment:rectification", args=[item.pk]) in listing
    complete = reverse("assessment:rectification_complete", args=[item.pk])
    assert client.get(complete).status_code == 200  # the confirmation page
    response = client.post(complete, {"note": "已召开专题组织生活会", "file": SimpleUploadedFile("m.pdf", PDF)})
    assert response.status_code == 302
    assert client.get(reverse("assessment:rectification_file", args=[item.pk])).status_code == 200
    assert client.get(reverse("assessment:rectification_accept", args=[item.pk])).status_code == 404
    client.force_login(sec2)
    for name in ("rectification", "rectification_complete", "rectification_file"):
        assert client.get(reverse(f"assessment:{name}", args=[item.pk])).status_code == 404
    assert "已召开" not in client.get(reverse("assessment:rectifications")).content.decode()
    client.force_login(office)
    assert client.post(reverse("assessment:rectification_accept", args=[item.pk]), {"note": ""}).status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.ACCEPTED


def test_new_item_form_and_overdue_filter(client, world):
    t, office, sec1, sec2, cycle = world
    client.force_login(sec1)
    response = client.post(
        reverse("assessment:rectification_new"),
        {"organization": t.branch1.pk, "problem": "发展党员程序不规范", "deadline": "2020-01-01", "owner_text": "李四"},
    )
    assert response.status_code == 302
    _item(sec1, t.branch1, deadline=timezone.localdate() + timedelta(days=30))
    page = client.get(reverse("assessment:rectifications") + "?overdue=on").content.decode()
    assert "发展党员程序不规范" in page and "三会一课不规范" not in page
    bad = client.post(reverse("assessment:rectification_new"), {"organization": t.branch2.pk, "problem": "x"})
    assert bad.status_code == 200  # branch2 is not among sec1's choices: the form says so


def test_overdue_items_are_on_the_home_page_of_the_secretary_and_the_office(client, world):
    t, office, sec1, sec2, cycle = world
    _item(sec1, t.branch1, deadline=date(2020, 1, 1))
    _item(sec1, t.branch1, deadline=timezone.localdate() + timedelta(days=5))
    today = timezone.localdate()
    mine = rectifications.home_items(sec1, today)
    assert [i.count for i in mine] == [1] and "?overdue=on" in mine[0].link
    assert [i.count for i in rectifications.home_items(office, today)] == [1]
    assert rectifications.home_items(sec2, today) == []
    client.force_login(sec1)
    assert "1项整改事项已超过整改时限" in client.get("/").content.decode()


def test_the_list_takes_a_constant_number_of_queries(client, world):
    t, office, sec1, sec2, cycle = world
    client.force_login(office)
    url = reverse("assessment:rectifications")
    _item(office, t.branch1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for org in (t.branch1, t.branch2, t.branch1, t.branch2):
        _item(office, org)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    with context.acting(office):
        for _i in range(3):
            _item(office, t.branch1, deadline=date(2020, 1, 1))
    with CaptureQueriesContext(connection) as home:
        rectifications.home_items(office, timezone.localdate())
    assert len(home) <= 2
