"""Django's zh_Hans formats, with ISO dates first among the input formats.

A form renders a date's initial value with the first input format; an ``<input type="date">`` accepts only
2026-12-01, so with Django's "%Y/%m/%d" first, an edit page would show the field empty and saving would lose
the date. Every other format is Django's own.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS as _DATES
from django.conf.locale.zh_Hans.formats import DATETIME_INPUT_FORMATS as _DATETIMES

DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in _DATES if f != "%Y-%m-%d")]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    *(f for f in _DATETIMES if f not in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")),
]
