"""Indicator systems as versioned data: created whole or not at all, published, copied into a new version, retired."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from dangjian.assessment import services
from dangjian.assessment.models import Indicator, IndicatorSystem
from dangjian.assessment.tree import Node, from_rows
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.testing import make_tree, make_user

from .factories import small_data, small_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture
def office(tree):
    user = make_user("office_root", "office", tree.root)
    with context.acting(user):
        yield user


def test_a_valid_system_is_stored_with_its_tree_in_order_and_audited(office):
    system = services.create_system(office, small_data(), small_tree())
    assert system.status == "draft" and system.version == 1
    rows = list(system.indicators.order_by("position"))
    names = ["组织生活", "三会一课", "按期完成率", "思想建设", "理论学习", "上级表彰", "严重违纪"]
    assert [r.name for r in rows] == names
    assert rows[2].parent == rows[1] and rows[1].parent == rows[0] and rows[0].parent is None
    # an inner node shows the points of its leaves that count toward the total (the bonus does not)
    assert rows[0].points == Decimal(6) and rows[3].points == Decimal(4)
    assert system.bands[0] == [90, "好"] and system.quotas == {"好": 0.3}
    event = AuditEvent.objects.get(object_type="assessment.indicatorsystem", object_id=str(system.pk))
    assert event.action == "create" and event.after["indicators"] == 7


def test_every_problem_is_reported_at_once_and_nothing_is_written(office):
    tree = small_tree(auto_points=5)  # leaves counted: 5 + 4 = 9, not 10
    tree[0].children[0].children[0].fact_key = "no.such.fact"
    tree[1].children[0].params = {"kind": "ratio"}
    tree[1].children.append(Node(name="表彰", points=Decimal(1), method="bonus", params={"combine": "most"}))
    with pytest.raises(ValidationError) as exc:
        services.create_system(office, small_data(), tree)
    messages = exc.value.messages
    assert "按期完成率：事实“no.such.fact”未登记（见“事实与指标”页面）" in messages
    assert "理论学习：未知的参数：kind" in messages
    assert any(m.startswith("表彰：扣分项和加分项的“combine”") for m in messages)
    assert "计入总分的评分项分值合计 9.00 分，与总分 10.00 分不一致" in messages
    assert not IndicatorSystem.objects.exists() and not Indicator.objects.exists()


def test_bad_bands_and_quotas_are_refused(office):
    data = small_data()
    data.bands = [[90, "好"], [90, "差"]]
    data.quotas = {"优秀": 0.2}
    with pytest.raises(ValidationError) as exc:
        services.create_system(office, data, small_tree())
    assert exc.value.messages == ["各等次的最低分不能相同", "名额比例中的等次“优秀”不存在"]


def test_a_second_system_with_the_same_name_is_refused(office):
    services.create_system(office, small_data(), small_tree())
    with pytest.raises(ValidationError, match="已有名为“测试体系”的指标体系"):
        services.create_system(office, small_data(), small_tree())


def test_publish_then_new_version_copies_the_tree_and_publishing_it_retires_the_old(office):
    v1 = services.publish(office, services.create_system(office, small_data(), small_tree()).pk)
    assert v1.status == "published" and v1.published_at
    v2 = services.new_version(office, v1.pk)
    assert (v2.version, v2.status, v2.supersedes_id, v2.name) == (2, "draft", v1.pk, v1.name)
    assert from_rows(v2.indicators.all()) == from_rows(v1.indicators.all())
    with pytest.raises(ValidationError, match="已有待发布的新版本（第2版）"):
        services.new_version(office, v1.pk)
    services.publish(office, v2.pk)
    v1.refresh_from_db()
    assert v1.status == "retired" and v1.retired_at
    # the old version's rows stay: a cycle run with it keeps them
    assert v1.indicators.count() == 7


def test_only_a_draft_is_published_and_only_a_published_system_gets_a_new_version(office):
    draft = services.create_system(office, small_data(), small_tree())
    with pytest.raises(ValidationError, match="只有已发布的指标体系可以修订为新版本"):
        services.new_version(office, draft.pk)
    services.publish(office, draft.pk)
    with pytest.raises(ValidationError, match="只有草稿可以发布"):
        services.publish(office, draft.pk)


def test_retire_keeps_the_rows_and_cannot_happen_twice(office):
    system = services.create_system(office, small_data(), small_tree())
    services.retire(office, system.pk)
    system.refresh_from_db()
    assert system.status == "retired" and system.indicators.count() == 7
    with pytest.raises(ValidationError, match="该指标体系已停用"):
        services.retire(office, system.pk)


def test_only_the_office_over_the_whole_tree_keeps_systems(office, tree):
    branch_office = make_user("office_b", "office", tree.branch2)
    secretary = make_user("sec", "secretary", tree.branch2)
    for user in (branch_office, secretary):
        with pytest.raises(Http404):
            services.create_system(user, small_data(), small_tree())
    system = services.create_system(office, small_data(), small_tree())
    for action in (services.publish, services.retire, services.new_version):
        with pytest.raises(Http404):
            action(branch_office, system.pk)
