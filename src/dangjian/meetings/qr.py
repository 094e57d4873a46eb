"""The meeting's check-in QR code, drawn on the server (no request leaves the intranet).

The SVG is inline markup without ``style`` attributes, so the strict Content-Security-Policy
(style-src 'self') does not block it, and it scales with CSS for projection.
"""

from __future__ import annotations

import segno
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .models import Meeting


def checkin_url(request: HttpRequest, meeting: Meeting) -> str:
    """Absolute URL that a phone opens after scanning; the token is the only secret in it."""
    return request.build_absolute_uri(reverse("meetings:checkin", args=[meeting.checkin_token]))


def qr_svg(data: str, title: str = "") -> SafeString:
    # Error level M survives a projector's glare and a slightly blurred phone camera.
    code = segno.make(data, error="m", micro=False)
    # segno escapes the title; the rest is its own path data, so marking it safe is sound.
    return mark_safe(code.svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff", title=title))  # noqa: S308
