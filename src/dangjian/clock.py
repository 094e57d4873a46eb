"""Today's date for the pure modules (rule tables, dues, ID numbers), which import without Django.

"Today" is the date in the platform's TIME_ZONE, as everywhere else (timezone.localdate);
the server's own clock may be on UTC, eight hours behind Beijing.
"""

from __future__ import annotations

import sys
from datetime import date


def today() -> date:
    if "django.conf" in sys.modules:
        from django.conf import settings

        if settings.configured:
            from django.utils import timezone

            return timezone.localdate()
    return date.today()  # noqa: DTZ011 — only outside Django (scripts, the pure modules' own tests)
