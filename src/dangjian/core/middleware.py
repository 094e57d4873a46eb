from __future__ import annotations

from collections.abc import Callable

from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from . import context
from .client_address import client_ip

# Sent by the pages that refresh themselves (hx-headers on the polling element: QR projection, job progress).
POLL_HEADER = "X-Dangjian-Poll"


class RequestIdMiddleware:
    """Gives every request an id, echoed in the X-Request-ID header and in audit rows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = context.new_request_id()  # type: ignore[attr-defined]
        with context.acting(None, ip=client_ip(request), request_id=request.request_id):  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response


class AuditContextMiddleware:
    """Once authentication has run, records the user as the actor of this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        with context.acting(user, ip=client_ip(request), request_id=request.request_id):  # type: ignore[attr-defined]
            return self.get_response(request)


class ChineseFirstLocaleMiddleware:
    """zh-hans unless the user chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and
    many intranet machines ship English browsers: the interface stays Chinese
    until someone asks otherwise.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        # override, not activate: the language must not outlive the request in this thread (a worker thread's next
        # request, a job run inline, or the next test would otherwise speak the last visitor's language)
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNulMiddleware:
    """A NUL character can be stored in neither PostgreSQL text nor a sane field: refuse it as bad input (400)
    instead of letting the database raise on it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.http import HttpResponseBadRequest

        query = request.META.get("QUERY_STRING", "")
        if (
            "\x00" in request.path
            or "%00" in query
            or "\x00" in query
            or any("\x00" in v for v in request.GET.values())
        ):
            return HttpResponseBadRequest(
                "请求中含有非法字符（NUL）".encode(), content_type="text/plain; charset=utf-8"
            )
        if request.method in ("POST", "PUT", "PATCH") and not request.content_type.startswith("multipart/"):
            body = request.body
            if b"\x00" in body or b"\\u0000" in body or b"%00" in body:
                return HttpResponseBadRequest(
                    "请求中含有非法字符（NUL）".encode(), content_type="text/plain; charset=utf-8"
                )
        return self.get_response(request)


def is_poll(request: HttpRequest) -> bool:
    return request.headers.get(POLL_HEADER) == "1"


class IdleSessionMiddleware(SessionMiddleware):
    """Django's session middleware, except that a polling request is not activity.

    SESSION_SAVE_EVERY_REQUEST saves the session, and so moves its expiry DANGJIAN_SESSION_IDLE_MINUTES ahead, on
    every request. A page that polls every few seconds (the QR projection, an import's progress) would then keep
    an unattended session open forever; 等保 三级 (GB/T 22239-2019 8.1.4.1 a/d) asks that an idle session end.
    A polling request therefore neither saves the session nor refreshes its expiry, unless it changed the session
    itself; the expired session is refused to it like to any other request.
    """

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and is_poll(request) and not session.modified:
            if session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)
