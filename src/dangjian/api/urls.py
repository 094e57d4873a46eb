"""The JSON API: /api/v1/..., its OpenAPI schema at /api/openapi.json and docs at /api/docs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.module_loading import import_string
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from dangjian.core.contributions import contributions

from .auth import TokenAuth
from .endpoints import router
from .role_assignments import router as role_assignments_router

api = NinjaAPI(
    title="智慧党建 API",
    version="1",
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/v1/", router)
api.add_router("/v1/", role_assignments_router)
# Each domain app contributes its router through the registry (its contrib.py); sorted so the schema is stable.
for contribution in sorted(contributions(), key=lambda c: c.app):
    if contribution.api_router:
        api.add_router("/v1/", import_string(contribution.api_router))


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        detail = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
    else:
        detail = [{"field": None, "message": m} for m in exc.messages]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc: NinjaValidationError):
    detail = [{"field": _field(e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors]
    return api.create_response(request, {"detail": detail}, status=422)


def _field(loc) -> str | None:
    names = [str(p) for p in loc if p not in ("body", "query", "path")]
    return names[-1] if names else None


@api.exception_handler(OverflowError)
def on_overflow(request, exc):
    return api.create_response(request, {"detail": [{"field": None, "message": "数值超出范围"}]}, status=422)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "对象不存在"}, status=404)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(request, {"detail": "未认证：请提供有效的 Bearer 令牌"}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
