"""Who is acting and in which request, for the audit log.

Set by middleware for pages, by the API's token check, and by the console
commands; read by ``dangjian.audit.services.record``.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ActorContext:
    request_id: str
    user: Any = None
    ip: str = ""
    channel: str = "web"


_current: ContextVar[ActorContext | None] = ContextVar("dangjian_actor", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def current() -> ActorContext:
    ctx = _current.get()
    if ctx is None:
        ctx = ActorContext(request_id=new_request_id(), channel="system")
    return ctx


@contextlib.contextmanager
def acting(
    user: Any = None, *, channel: str = "web", ip: str = "", request_id: str | None = None
) -> Iterator[ActorContext]:
    ctx = ActorContext(request_id=request_id or new_request_id(), user=user, ip=ip, channel=channel)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def set_user(user: Any) -> None:
    """Attach the authenticated user to the current context (API token auth)."""
    ctx = current()
    _current.set(ActorContext(request_id=ctx.request_id, user=user, ip=ctx.ip, channel="api"))
