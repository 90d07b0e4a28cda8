"""/api/v1: thin endpoints over the same actions and selectors as the pages (same area scope, same audit)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError

from doudi.accounts.api import router as administration
from doudi.areas.api import router as areas
from doudi.benefits.api import router as benefits
from doudi.cases.api import router as cases
from doudi.core.api import router as jobs
from doudi.core.errors import ApplicationError
from doudi.medical.api import router as medical
from doudi.payments.api import router as payments
from doudi.programmes.api import router as programmes
from doudi.registry.api import router as registry
from doudi.statistics.api import router as statistics
from doudi.verification.api import router as verification

from .auth import AUTH
from .funeral import router as funeral
from .person import router as person
from .temporary import router as temporary
from .transfers import router as transfers

api = NinjaAPI(
    title="Doudi API",
    version="1",
    description="兜底 · 社会救助系统 API。所有数据按账号所属区划隔离。",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError):
    return api.create_response(request, exc.as_dict(), status=exc.status_code)


# What each kind of schema error means, in Chinese and English ({…} from the error's context).
SCHEMA_MESSAGES = {
    "missing": ("缺少此项", "is required"),
    "string_too_long": ("最多{max_length}个字", "is at most {max_length} characters"),
    "string_too_short": ("至少{min_length}个字", "needs at least {min_length} characters"),
    "too_long": ("最多{max_length}项", "has at most {max_length} items"),
    "too_short": ("至少{min_length}项", "needs at least {min_length} items"),
    "string_pattern_mismatch": ("格式不正确（应符合 {pattern}）", "does not have the expected form {pattern}"),
    "string_type": ("应为文字", "must be a string"),
    "int_parsing": ("应为整数", "must be a whole number"),
    "int_type": ("应为整数", "must be a whole number"),
    "int_from_float": ("应为整数", "must be a whole number"),
    "greater_than_equal": ("不能小于 {ge}", "must be at least {ge}"),
    "less_than_equal": ("不能大于 {le}", "must be at most {le}"),
    "greater_than": ("应大于 {gt}", "must be greater than {gt}"),
    "less_than": ("应小于 {lt}", "must be less than {lt}"),
    "date_parsing": ("日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD"),
    "date_from_datetime_parsing": ("日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD"),
    "date_from_datetime_inexact": ("日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD"),
    "date_type": ("日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD"),
    "literal_error": ("取值无效，可选：{expected}", "must be one of {expected}"),
    "enum": ("取值无效，可选：{expected}", "must be one of {expected}"),
    "bool_parsing": ("应为 true 或 false", "must be true or false"),
    "bool_type": ("应为 true 或 false", "must be true or false"),
    "dict_type": ("应为对象", "must be an object"),
    "model_type": ("应为对象", "must be an object"),
    "model_attributes_type": ("应为对象", "must be an object"),
    "list_type": ("应为数组", "must be an array"),
    "json_invalid": ("请求体不是有效的 JSON", "the body is not valid JSON"),
    "finite_number": ("应为有限的数", "must be a finite number"),
    "decimal_parsing": ("应为数字", "must be a number"),
    "decimal_max_places": ("最多{decimal_places}位小数", "has at most {decimal_places} decimals"),
    "extra_forbidden": ("不允许此项", "is not allowed"),
}
SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _schema_field(loc) -> str:
    """The field an error is about, dotted: ("body", "body", "members", 0, "name") → "members.0.name"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in SOURCES:
        source, parts = parts[0], parts[1:]
        if source == "body" and parts and parts[0] in ("body", "payload"):
            parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def schema_error(request: HttpRequest, exc: ValidationError):
    """A request that does not match the schema: 422 in the same shape as every other error, naming the first
    field that is wrong in Chinese and English (``detail`` keeps every error for programs)."""
    errors = list(exc.errors)
    first = errors[0] if errors else {"type": "invalid", "loc": (), "msg": "invalid"}
    field = _schema_field(first.get("loc", ()))
    ctx = first.get("ctx") or {}
    if "zh" in ctx and "en" in ctx:
        zh, en = str(ctx["zh"]), str(ctx["en"])
    elif first.get("type") in SCHEMA_MESSAGES:
        zh, en = (
            t.format_map({k: str(v) for k, v in ctx.items()}) if "{" in t else t for t in SCHEMA_MESSAGES[first["type"]]
        )
    else:
        zh, en = f"输入无效：{first.get('msg', '')}", str(first.get("msg", "invalid"))
    where = field or "body"
    detail = [
        {"type": e.get("type"), "loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in errors[:50]
    ]
    return api.create_response(
        request,
        {
            "code": "schema",
            "field": field or None,
            "message": f"{where}：{zh} / {where}: {en}",
            "message_zh": f"{where}：{zh}",
            "message_en": f"{where}: {en}",
            "detail": detail,
        },
        status=422,
    )


@api.exception_handler(RequestDataTooBig)
def body_too_big(request: HttpRequest, exc: RequestDataTooBig):
    limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:g} MB"
    error = ApplicationError(
        f"请求内容超过 {limit} 的上限", f"The request body exceeds the {limit} limit", field="body", code="too_large"
    )
    return api.create_response(request, error.as_dict(), status=413)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    """ninja's own refusals (a body that is not JSON, a throttled client) in the same shape as ours."""
    if exc.status_code == 400:
        error = ApplicationError(
            "请求体不是有效的 JSON 对象", "The request body is not a valid JSON object", field="body", code="bad_body"
        )
    else:
        error = ApplicationError(f"请求被拒绝（{exc.status_code}）", str(exc) or "Refused", code="refused")
    return api.create_response(request, {**error.as_dict(), "detail": str(exc)}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError):
    error = ApplicationError(
        "请先登录，或在 Authorization 头中提供有效的 API 令牌",
        "Log in, or give a valid API token in the Authorization header",
        code="unauthorized",
    )
    return api.create_response(request, {**error.as_dict(), "detail": "Unauthorized"}, status=401)


ROUTERS: list[tuple[str, Router]] = [
    ("/areas", areas),
    ("", registry),
    ("", programmes),
    ("", cases),
    ("", payments),
    ("", benefits),
    ("", statistics),
    ("", verification),
    ("", person),
    ("", funeral),
    ("", transfers),
    ("", temporary),
    ("", medical),
    ("", jobs),
    ("", administration),
]
for prefix, router in ROUTERS:
    api.add_router(prefix, router)
