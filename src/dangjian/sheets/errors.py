"""The file-level error every importer raises, and the cap on how many row errors a report keeps."""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings

T = TypeVar("T")


class SheetError(Exception):
    """The file as a whole cannot be imported (type, size, encoding, headers, no rows); the message is Chinese."""


def capped_errors(errors: list[T], limit: int | None = None) -> tuple[list[T], int]:
    """The first ``limit`` errors (``SHEETS_MAX_REPORTED_ERRORS``) and how many more there were.

    A file with 100,000 bad rows must not store a 50 MB report or render a 40 MB page: the user fixes the
    first thousand and uploads again; the count of the rest is shown as "另有 N 处错误".
    """
    if limit is None:
        limit = settings.SHEETS_MAX_REPORTED_ERRORS
    if len(errors) <= limit:
        return errors, 0
    return errors[:limit], len(errors) - limit
