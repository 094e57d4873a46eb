"""Chinese names sort by pinyin, numbered names by their number, in Python and as a stored key."""

from __future__ import annotations

import random

import pytest

from dangjian.core.collation import chinese_number, name_key, sort_key

BRANCHES = ["离退休第一党支部", "离退休第二党支部", "离退休第三党支部", "离退休第四党支部", "离退休第十党支部"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("九十九", 99),
        ("一百零五", 105),
        ("二〇二六", 2026),
        ("第", None),
    ],
)
def test_chinese_numerals_read_as_numbers(text, value):
    assert chinese_number(text) == value


@pytest.mark.parametrize("key", [name_key, sort_key])
def test_numbered_names_sort_by_their_number(key):
    shuffled = random.Random(3).sample(BRANCHES, len(BRANCHES))
    assert sorted(shuffled, key=key) == BRANCHES
    assert sorted(["第10组", "第2组", "第1组"], key=key) == ["第1组", "第2组", "第10组"]
    assert sorted(["第十一支部", "第九支部", "第二十支部"], key=key) == ["第九支部", "第十一支部", "第二十支部"]


@pytest.mark.parametrize("key", [name_key, sort_key])
def test_chinese_names_sort_by_pinyin(key):
    # by code point: 张 (5F20) 李 (674E) 王 (738B) 赵 (8D75) 阿 (963F)
    assert sorted(["赵六", "张三", "阿明", "王五", "李四"], key=key) == ["阿明", "李四", "王五", "张三", "赵六"]
    assert sorted(["林一", "李一"], key=key) == ["李一", "林一"]  # li before lin


def test_code_point_order_is_what_is_fixed():
    assert sorted(BRANCHES[:4]) != BRANCHES[:4]


def test_the_stored_key_is_plain_ascii_and_bounded():
    key = sort_key("中国共产党某某研究所第二十三研究室联合党支部（含Alpha项目组）" * 5)
    assert key.isascii() and key == key.lower() and len(key) <= 255


@pytest.mark.django_db
def test_the_dues_summary_lists_numbered_branches_by_their_number():
    from datetime import date

    from dangjian.dues.summary import summarize
    from dangjian.people.models import Membership
    from dangjian.testing import make_member, make_tree

    t = make_tree()
    org = type(t.general)
    for n, name in enumerate(["离退休第一党支部", "离退休第三党支部", "离退休第二党支部", "离退休第十党支部"]):
        branch = org.objects.add_child(
            t.general, dict(kind="branch", code=f"R{n}", name=name, founded_on=date(2000, 1, 1))
        )
        make_member(branch, f"成员{n}")
    members = Membership.objects.current().filter(organization__name__startswith="离退休")
    result = summarize(members, [date(2025, 1, 1)], "汇总")
    assert [b.branch_name for b in result.branches] == [
        "离退休第一党支部",
        "离退休第二党支部",
        "离退休第三党支部",
        "离退休第十党支部",
    ]
