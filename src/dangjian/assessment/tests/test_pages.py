"""The office's pages for indicator systems: only the whole tree's office opens them; lists and the tree take a
constant number of queries; import reports every error and writes nothing unless all is valid."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.assessment import services, xlsx
from dangjian.assessment.models import IndicatorSystem
from dangjian.assessment.tree import Node
from dangjian.core import context
from dangjian.testing import make_tree, make_user

from .factories import small_data, small_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    t = make_tree()
    office = make_user("office_root", "office", t.root)
    return t, office


@pytest.fixture
def system(world):
    with context.acting(world[1]):
        return services.create_system(world[1], small_data(), small_tree())


def _pages(pk):
    return [
        reverse("assessment:systems"),
        reverse("assessment:import"),
        reverse("assessment:template"),
        reverse("assessment:detail", args=[pk]),
        reverse("assessment:export", args=[pk]),
        reverse("assessment:publish", args=[pk]),
        reverse("assessment:new_version", args=[pk]),
        reverse("assessment:retire", args=[pk]),
    ]


def test_the_office_opens_every_page(client, world, system):
    client.force_login(world[1])
    for url in _pages(system.pk):
        assert client.get(url).status_code == 200, url


def test_everyone_else_is_told_the_pages_do_not_exist(client, world, system):
    t = world[0]
    others = [
        make_user("office_b2", "office", t.branch2),  # the office, but of one branch only
        make_user("sec1", "secretary", t.branch1),
        make_user("leader", "leader", t.root),
        make_user("nobody"),
    ]
    for user in others:
        client.force_login(user)
        for url in _pages(system.pk):
            assert client.get(url).status_code == 404, (user.username, url)
            assert client.post(url).status_code == 404, (user.username, url)
    assert IndicatorSystem.objects.get().status == "draft"


def test_an_unknown_system_is_404(client, world):
    client.force_login(world[1])
    assert client.get(reverse("assessment:detail", args=[999999])).status_code == 404


def test_anonymous_users_log_in(client, system):
    response = client.get(reverse("assessment:systems"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_takes_the_same_queries_for_more_systems_and_filters(client, world, system):
    client.force_login(world[1])
    url = reverse("assessment:systems")
    first = _queries(client, url)
    with context.acting(world[1]):
        for i in range(5):
            services.create_system(world[1], small_data(name=f"体系{i}"), small_tree())
    assert _queries(client, url) == first
    content = client.get(url, {"q": "体系3"}).content.decode()
    assert "体系3" in content and "体系4" not in content
    content = client.get(url, {"status": "published"}).content.decode()
    assert "没有符合条件的指标体系" in content


def test_the_detail_shows_the_tree_and_takes_the_same_queries_for_a_bigger_tree(client, world):
    client.force_login(world[1])
    data, nodes = services.default_nodes()
    with context.acting(world[1]):
        default = services.install_default(world[1])[0]
        data.name, data.total_points = "更大的体系", data.total_points + 20
        nodes.append(
            Node(name="附加", children=[Node(name=f"附加{i}", points=Decimal(1), method="manual") for i in range(20)])
        )
        bigger = services.create_system(world[1], data, nodes)
    content = client.get(reverse("assessment:detail", args=[default.pk])).content.decode()
    assert "三会一课按期完成" in content and "三会一课按期完成率" in content  # the leaf's name, the fact's label
    assert "60 及以下 0 分，100 及以上满分，其间按比例" in content
    assert "一票否决" in content and "累计，不超过 10.00 分" in content
    assert "好 不超过参评单位的 30%" in content
    queries = _queries(client, reverse("assessment:detail", args=[default.pk]))
    assert _queries(client, reverse("assessment:detail", args=[bigger.pk])) == queries


def test_publish_new_version_and_retire_through_the_pages(client, world, system):
    client.force_login(world[1])
    assert client.post(reverse("assessment:publish", args=[system.pk])).status_code == 302
    response = client.post(reverse("assessment:new_version", args=[system.pk]))
    v2 = IndicatorSystem.objects.get(version=2)
    assert response["Location"] == reverse("assessment:detail", args=[v2.pk])
    # a second new version is refused with the reason shown on the detail page
    response = client.post(reverse("assessment:new_version", args=[system.pk]), follow=True)
    assert "已有待发布的新版本（第2版）" in response.content.decode()
    client.post(reverse("assessment:retire", args=[v2.pk]))
    v2.refresh_from_db()
    system.refresh_from_db()
    assert (system.status, v2.status) == ("published", "retired")


def test_export_downloads_the_workbook(client, world, system):
    client.force_login(world[1])
    response = client.get(reverse("assessment:export", args=[system.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames[:2] == ["指标", "体系"]


def test_the_import_page_lists_every_error_and_writes_nothing(client, world, system):
    client.force_login(world[1])
    with context.acting(world[1]):
        content = xlsx.export_system(world[1], system)
    wb = load_workbook(BytesIO(content))
    wb["指标"]["E3"], wb["指标"]["G4"], wb["体系"]["B3"] = "六", "猜", "新体系"
    out = BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("体系.xlsx", out.getvalue())
    response = client.post(reverse("assessment:import"), {"file": upload})
    text = response.content.decode()
    assert response.status_code == 200
    assert "指标表第3行 [分值] 分值应为数值" in text and "指标表第4行 [方法]" in text
    assert not IndicatorSystem.objects.filter(name="新体系").exists()
    wb["指标"]["E3"], wb["指标"]["G4"] = 6, "人工评分"
    out = BytesIO()
    wb.save(out)
    response = client.post(reverse("assessment:import"), {"file": SimpleUploadedFile("体系.xlsx", out.getvalue())})
    created = IndicatorSystem.objects.get(name="新体系")
    assert response.status_code == 302 and response["Location"] == reverse("assessment:detail", args=[created.pk])
