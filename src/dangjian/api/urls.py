"""The JSON API: /api/v1/..., its OpenAPI schema at /api/openapi.json and docs at /api/docs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from dangjian.core.contributions import contributions

from .auth import TokenAuth
from .endpoints import router
from .me import router as me_router
from .role_assignments import router as role_assignments_router
from .users import router as users_router

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
api.add_router("/v1/", users_router)
api.add_router("/v1/", me_router)
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


# The schema's refusals in Chinese, like the services' (pydantic's own messages are English). The type of error
# decides the message; a type not listed keeps pydantic's text.
SCHEMA_MESSAGES = {
    "missing": _lazy("必填"),
    "int_parsing": _lazy("应为整数"),
    "int_type": _lazy("应为整数"),
    "int_from_float": _lazy("应为整数"),
    "bool_parsing": _lazy("应为 true 或 false"),
    "bool_type": _lazy("应为 true 或 false"),
    "decimal_parsing": _lazy("应为数字"),
    "decimal_type": _lazy("应为数字"),
    "decimal_max_digits": _lazy("数字位数过多"),
    "decimal_max_places": _lazy("小数位数过多"),
    "date_parsing": _lazy("日期格式应为 YYYY-MM-DD"),
    "date_from_datetime_parsing": _lazy("日期格式应为 YYYY-MM-DD"),
    "date_type": _lazy("日期格式应为 YYYY-MM-DD"),
    "datetime_parsing": _lazy("时间格式应为 YYYY-MM-DDTHH:MM"),
    "datetime_from_date_parsing": _lazy("时间格式应为 YYYY-MM-DDTHH:MM"),
    "datetime_type": _lazy("时间格式应为 YYYY-MM-DDTHH:MM"),
    "string_type": _lazy("应为文本"),
    "string_too_short": _lazy("不能为空"),
    "string_too_long": _lazy("内容过长"),
    "list_type": _lazy("应为列表"),
    "model_type": _lazy("应为对象"),
    "dict_type": _lazy("应为对象"),
    "greater_than_equal": _lazy("不能小于 %(ge)s"),
    "less_than_equal": _lazy("不能大于 %(le)s"),
    "enum": _lazy("无效的取值，可用：%(expected)s"),
    "literal_error": _lazy("无效的取值，可用：%(expected)s"),
}


def _schema_message(error: dict) -> str:
    template = SCHEMA_MESSAGES.get(error.get("type", ""))
    if template is None:
        return error.get("msg", "")
    try:
        return str(template) % {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    except (KeyError, TypeError, ValueError):
        return error.get("msg", "")


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc: NinjaValidationError):
    detail = [{"field": _field(e.get("loc", [])), "message": _schema_message(e)} for e in exc.errors]
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
