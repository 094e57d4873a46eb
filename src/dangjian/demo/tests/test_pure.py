"""The pure helpers: no database."""

from __future__ import annotations

import random

from dangjian.demo.names import SURNAME_WEIGHTS, SURNAMES, NameMaker
from dangjian.demo.spec import cn_number
from dangjian.demo.treepaths import step


def test_path_steps_match_treebeard_numbering():
    assert [step(1), step(9), step(10), step(35), step(36), step(37)] == [
        "0001", "0009", "000A", "000Z", "0010", "0011",
    ]  # fmt: skip


def test_chinese_ordinals():
    assert [cn_number(n) for n in (1, 10, 12, 20, 21)] == ["一", "十", "十二", "二十", "二十一"]


def test_surnames_are_weighted_by_frequency():
    assert SURNAMES[:3] == ("王", "李", "张")
    assert len(SURNAMES) == len(set(SURNAMES)) == len(SURNAME_WEIGHTS)
    names = [NameMaker(random.Random(1)).name("F", 1995) for _ in range(200)]
    assert all(2 <= len(n) <= 4 for n in names)


def test_phones_are_unique_mobile_numbers():
    maker = NameMaker(random.Random(3))
    phones = [maker.phone() for _ in range(5000)]
    assert len(set(phones)) == 5000
    assert all(len(p) == 11 and p[0] == "1" and p[1] in "3456789" for p in phones)
