"""Background work for the embedded mode: a thread per job, no broker needed.

With ``DANGJIAN_TASKS_INLINE=1`` (tests) the job runs before the call returns.
A deployment with Redis can swap this for RQ without touching callers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections


def run_in_background(func: Callable[..., None], *args) -> None:
    if getattr(settings, "TASKS_INLINE", False):
        func(*args)
        return

    def target() -> None:
        close_old_connections()
        try:
            func(*args)
        finally:
            close_old_connections()

    threading.Thread(target=target, daemon=True).start()
