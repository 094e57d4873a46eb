"""The upload field of every spreadsheet import page: .xlsx or .csv, within the size limit.

Refusing an oversized upload in the form keeps the page's message next to the field; the reader checks the same
limit again for the console and for any other caller.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from .errors import SheetError
from .limits import Limits
from .reader import SUPPORTED


class SheetFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        f = super().clean(data, initial)
        if not f:
            return f
        if PurePath(f.name or "").suffix.lower() not in SUPPORTED:
            raise forms.ValidationError(_("只支持 .xlsx 或 .csv 文件"))
        try:
            Limits.from_settings().check_size(f.size)
        except SheetError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return f
