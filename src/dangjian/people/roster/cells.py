"""Reading single cells the way people actually fill spreadsheets.

A cell from .xlsx may be a float (digits typed into a General cell), a date or
a string; from .csv it is always a string. Each converter returns a clean
Python value or raises ``CellError`` with a Chinese reason for the report.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.people.models.person import phone_validator


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user."""


EXCEL_EPOCH = date(1899, 12, 30)
# Excel serials accepted as dates: 1910-01-01 .. 2099-12-31. A bare year such as 2020 is below the range and
# therefore rejected rather than silently read as a day in 1905.
SERIAL_MIN, SERIAL_MAX = 3653, 73050

_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SCIENTIFIC_RE = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")
_PHONE_RE = phone_validator.regex

ID_AS_NUMBER = gettext_lazy(
    "公民身份号码被 Excel 存成了数字，只保留了15位有效数字（末位X和最后几位已丢失）："
    "请将该列设置为“文本”格式后重新填写号码"
)


def is_blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """Any cell as trimmed text; integral floats lose their '.0' (Excel stores all numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return (
            f"{value:%Y-%m-%d %H:%M:%S}"
            if (value.hour, value.minute, value.second) != (0, 0, 0)
            else (f"{value:%Y-%m-%d}")
        )
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()


def id_text(value: Any) -> str:
    """The ID number as typed, refusing numbers that Excel has already rounded."""
    if isinstance(value, bool):
        raise CellError(_("公民身份号码格式错误"))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(_("公民身份号码格式错误：不能含小数点"))
        digits = str(int(value))
        if len(digits) > 15:
            raise CellError(str(ID_AS_NUMBER))
        return digits
    raw = "".join(text(value).split()).lstrip("'")
    if _SCIENTIFIC_RE.match(raw):
        raise CellError(str(ID_AS_NUMBER))
    return raw


def phone(value: Any) -> str:
    raw = text(value).replace(" ", "")
    if raw and not _PHONE_RE.match(raw):
        raise CellError(_("手机号码应为11位手机号（1开头，第二位3-9）或带区号的固定电话，如 010-12345678"))
    return raw


def to_date(value: Any) -> date | None:
    """A date from an Excel date, an Excel serial number or text in the usual Chinese forms."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError(_("无法识别的日期，请填写如 2020-01-02 的日期"))
    if isinstance(value, int | float):
        value_int = int(value)  # a fraction is a time of day, which a roster date ignores
        if 10000101 <= value_int <= 29991231:
            return _parse_text(str(value_int))
        if SERIAL_MIN <= value_int <= SERIAL_MAX:
            return EXCEL_EPOCH + timedelta(days=value_int)
        raise CellError(_("无法识别的日期「%(value)s」，请填写如 2020-01-02 的日期") % {"value": text(value)})
    if isinstance(value, timedelta):
        raise CellError(_("单元格是时间而不是日期，请填写如 2020-01-02 的日期"))
    return _parse_text(str(value).strip())


@lru_cache(maxsize=65536)
def _parse_text(raw: str) -> date:
    m = _DATE_RE.match(raw) or _COMPACT_RE.match(raw)
    if not m:
        raise CellError(
            _("无法识别的日期「%(value)s」，请填写如 2020-01-02、2020/1/2 或 20200102 的日期") % {"value": raw}
        )
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise CellError(_("日期「%(value)s」不存在") % {"value": raw}) from None
