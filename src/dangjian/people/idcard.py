"""Resident ID numbers (GB 11643-1999, RULES.md §7). Pure: importable without Django.

The check character is ISO 7064 MOD 11-2 over the first 17 digits; digits 7–14
are the birth date and digit 17 is odd for men, even for women.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangjian import clock

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


class IdNumberError(ValueError):
    """An invalid ID number; the message says in Chinese what is wrong."""


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date
    sex: str  # "M" or "F"
    converted_from_15: bool = False

    def age_on(self, on: date) -> int:
        return full_years(self.birth_date, on)


def full_years(start: date, on: date) -> int:
    """Completed years from ``start`` to ``on``.

    A year ends on the same day of the month; when that day does not exist (29 February in a
    common year) it ends on the month's last day (民法典 art. 202), the reading the member
    development rules use too.
    """
    years = on.year - start.year
    try:
        anniversary = start.replace(year=on.year)
    except ValueError:
        anniversary = start.replace(year=on.year, day=28)
    return years - 1 if on < anniversary else years


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def parse_id_number(value: str, *, today: date | None = None, allow_15: bool = False) -> IdNumber:
    """Validate an 18-character ID number and derive birth date and sex.

    With ``allow_15`` a legacy 15-digit number is converted (insert "19",
    append the check character), as roster imports may do.
    """
    if not isinstance(value, str):
        raise IdNumberError("公民身份号码必须是文本")
    raw = value.strip().upper()
    if not raw:
        raise IdNumberError("公民身份号码为空")
    converted = False
    if len(raw) == 15 and allow_15:
        if not raw.isdigit():
            raise IdNumberError("15位公民身份号码只能包含数字")
        body = raw[:6] + "19" + raw[6:]
        raw = body + check_char(body)
        converted = True
    if len(raw) != 18:
        raise IdNumberError(f"公民身份号码应为18位，实际为{len(raw)}位")
    if not raw[:17].isdigit():
        raise IdNumberError("公民身份号码前17位必须是数字")
    if not (raw[17].isdigit() or raw[17] == "X"):
        raise IdNumberError("公民身份号码第18位只能是数字或X")
    try:
        birth = date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError:
        raise IdNumberError(f"公民身份号码中的出生日期 {raw[6:14]} 不是有效日期") from None
    if birth > (today or clock.today()):
        raise IdNumberError(f"公民身份号码中的出生日期 {birth:%Y-%m-%d} 晚于今天")
    if birth.year < 1900:
        raise IdNumberError(f"公民身份号码中的出生年份 {birth.year} 早于1900年")
    expected = check_char(raw[:17])
    if raw[17] != expected:
        raise IdNumberError(f"公民身份号码校验码错误：应为 {expected}，实际为 {raw[17]}")
    sex = "M" if int(raw[16]) % 2 == 1 else "F"
    return IdNumber(number=raw, birth_date=birth, sex=sex, converted_from_15=converted)


def mask(number: str) -> str:
    """Mask for lists: keep the region's first 3 and the last 2 characters."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 5) + number[-2:]
