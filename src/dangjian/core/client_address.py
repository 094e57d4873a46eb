"""The client's network address, read once for the lock-out (django-axes) and the audit log alike.

Behind a reverse proxy REMOTE_ADDR is the proxy's address; each proxy appends the address it received the request
from to X-Forwarded-For. Only the entries our own proxies appended can be trusted (a client can put anything in
front), so with ``PROXY_COUNT`` proxies (env ``DANGJIAN_PROXY_COUNT``) the client is the ``PROXY_COUNT``-th address
from the right of "X-Forwarded-For, REMOTE_ADDR". Without this, five failures from one client locked everyone out
and every audit row named the proxy (issue 10).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    peer = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies <= 0:
        return peer
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    hops = [*forwarded, peer]
    # Fewer hops than proxies: the request did not come through all of them; take the farthest one we have.
    candidate = hops[-(proxies + 1)] if len(hops) > proxies else hops[0]
    return _address(candidate) or peer


def _address(value: str) -> str:
    """The bare IP address in an X-Forwarded-For entry ("1.2.3.4", "1.2.3.4:port", "[v6]:port"), or ""."""
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""
