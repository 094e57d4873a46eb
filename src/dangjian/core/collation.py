"""Sorting Chinese names as people expect: by pinyin, and numbered names by their number.

Python's ``sorted`` and the databases' default collations order by code point, so 离退休第一、第三、第二、第四党支部
come out in that order and 第十 before 第二. ``name_key`` is the sort key for lists sorted in Python; ``sort_key``
gives the same order as a plain lowercase ASCII string, for a column the database orders a paginated list by (such
a string sorts the same under the C, ICU and glibc collations of PostgreSQL and SQLite's binary one).

A run of Arabic digits or of Chinese numerals (〇零一二两三四五六七八九十百千) counts as one number: 第二 and 第2
sort together before 第十 and 第10. Han characters sort by their pinyin with the tone (li2 before lin2, zhang1
before zhao4); other characters by their lowercase form. Equal pinyin (张/章) ties are broken by the character.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_RUN = re.compile(r"[0-9]+|[〇零一二两三四五六七八九十百千]+|.", re.S)
_HAN = re.compile(r"[\u3400-\u9fff]")
WIDTH = 7  # one element of ``sort_key``: 6 digits of a number or a pinyin syllable (zhuang1) padded
KEY_LENGTH = 255


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral (一 … 十 … 九十九 … 九千九百九十九; 二〇二六 digit by digit), None if not one."""
    if not text or any(c not in _DIGITS and c not in _UNITS for c in text):
        return None
    if not any(c in _UNITS for c in text):
        return int("".join(str(_DIGITS[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS[c]
        else:
            total += (1 if digit is None else digit) * _UNITS[c]
            digit = None
    return total + (digit or 0)


@lru_cache(maxsize=4096)
def _syllable(char: str) -> str:
    return lazy_pinyin(char, style=Style.TONE3, neutral_tone_with_five=True)[0]


def _elements(text: str) -> list[tuple[int, int, str, str]]:
    out = []
    for run in _RUN.findall(text or ""):
        value = int(run) if run.isdigit() and run.isascii() else chinese_number(run)
        if value is not None:
            out.append((0, value, "", run))
        elif _HAN.match(run):
            out.append((1, 0, _syllable(run), run))
        elif not run.isspace():
            out.append((1, 0, run.lower(), run))
    return out


def name_key(text: str) -> tuple:
    """The key that sorts ``text`` by its numbers' values and its Chinese by pinyin (for ``sorted``)."""
    return tuple(_elements(text))


def sort_key(text: str) -> str:
    """``name_key`` as a lowercase ASCII string of fixed-width elements (a number: 0 and 6 digits; a syllable or
    letter: padded with 0), for a database column; ties (张/章, 第二/第2) are left to the name itself."""
    parts = []
    for kind, value, syllable, _run in _elements(text):
        if kind == 0:
            parts.append("0" + str(min(value, 999_999)).zfill(WIDTH - 1))
        else:
            letters = "".join(c for c in syllable if c.isascii() and c.isalnum()) or "z"
            parts.append(("1" + letters)[:WIDTH].ljust(WIDTH, "0"))
    return "".join(parts)[:KEY_LENGTH]
