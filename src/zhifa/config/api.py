"""The REST API under /api/v1/: token (or session) authentication, one error envelope."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from zhifa.accounts.models import ApiToken
from zhifa.core.api import ErrorOut
from zhifa.core.errors import DomainError, error_json_response, invalid_request


class TokenAuth(HttpBearer):
    """``Authorization: Bearer zf_…`` for machine clients (stations, gateways, other platforms)."""

    def authenticate(self, request: HttpRequest, token: str):
        from zhifa.accounts.services import token_digest

        row = ApiToken.objects.select_related("user", "user__org").filter(digest=token_digest(token)).first()
        now = timezone.now()
        if row is None or row.revoked_at or (row.expires_at and row.expires_at < now) or not row.user.is_active:
            return None
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


# The refusals every operation can answer with, each in the error envelope (issue 16 item 11: "the documented
# status codes for every operation"). They come from the exception handlers below, not from the view's return
# value, so they are added to the OpenAPI document rather than to each decorator's ``response=``: a handler
# that returns ``{201: X}`` keeps answering 201 without naming its status. An operation that documents one of
# these itself (evidence upload's 413 and its own descriptions) keeps its own.
ERROR_RESPONSES = {
    400: ("请求被业务规则拒绝（code 为错误码，message 为中文说明）", lambda op, method: True),
    401: ("未登录或令牌无效", lambda op, method: bool(op.get("security"))),
    403: ("无权执行此操作", lambda op, method: bool(op.get("security"))),
    404: ("记录不存在或无权查看", lambda op, method: True),
    409: ("与当前状态冲突（如数据已被他人修改、环节不允许）", lambda op, method: method != "get"),
    422: ("请求参数有误（fields 列出各参数的原因）", lambda op, method: True),
}


def document_error_responses(doc: dict) -> dict:
    """Add the error envelope's statuses to every operation of an OpenAPI document (in place)."""
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ErrorOut.__name__, ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}"))
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ErrorOut.__name__}"}}}
    for operations in doc.get("paths", {}).values():
        for method, op in operations.items():
            responses = op.setdefault("responses", {})
            for status, (description, applies) in ERROR_RESPONSES.items():
                if status not in responses and applies(op, method):
                    responses[status] = {"description": description, "content": content}
    return doc


class ZhifaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        doc = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_error_responses(doc)
        return doc


api = ZhifaAPI(
    title="zhifa 执法平台接口",
    version="1",
    description="交通运输执法平台 REST 接口。认证：`Authorization: Bearer <令牌>`。错误统一为 "
                "`{\"code\", \"message\", \"fields\"}`，message 为中文。",
    auth=[TokenAuth(), django_auth],  # django_auth: signed-in pages, CSRF-checked
    urls_namespace="api-v1",
    docs_url=None,  # ninja's Swagger page loads from a CDN; intranets have none. The JSON is served.
)


def _envelope(request, code: str, message: str, fields: dict | None, status: int):
    return error_json_response(code, message, fields, status)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return _envelope(request, exc.code, exc.message, exc.fields, exc.status)


_PYDANTIC_MESSAGES = {
    "missing": "必填",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为布尔值",
    "bool_parsing": "应为布尔值",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "应为日期",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为数组",
    "string_too_long": "过长",
    "greater_than_equal": "过小",
    "less_than_equal": "过大",
    "int_from_float": "应为整数",
    "too_long": "过长",
}


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    fields: dict[str, str] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        key = ".".join(loc) or "请求体"
        fields[key] = _PYDANTIC_MESSAGES.get(err.get("type", ""), "格式不正确")
    return _domain_error(request, invalid_request(fields))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _envelope(request, "common.not_found", "记录不存在或无权查看", None, 404)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return _envelope(request, "common.unauthenticated", "未登录或令牌无效", None, 401)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _envelope(request, f"http.{exc.status_code}", str(exc.message), None, exc.status_code)


def _register_routers() -> None:
    from zhifa.accounts.api import router as accounts_router
    from zhifa.cases.api import router as cases_router
    from zhifa.complaints.api import router as complaints_router
    from zhifa.core.api import router as core_router
    from zhifa.credit.api import router as credit_router
    from zhifa.disclosure.api import router as disclosure_router
    from zhifa.disclosure.public_api import router as public_router
    from zhifa.documents.api import router as documents_router
    from zhifa.evidence.api import router as evidence_router
    from zhifa.inspections.api import router as inspections_router
    from zhifa.legal.api import router as legal_router
    from zhifa.monitoring.api import router as monitoring_router
    from zhifa.overload.api import router as overload_router
    from zhifa.people.api import router as people_router
    from zhifa.permits.api import router as permits_router
    from zhifa.registry.api import router as registry_router
    from zhifa.rules.api import router as rules_router

    # The open public API first: the most requested paths, and URL resolution tries patterns in order.
    api.add_router("/public", public_router)
    api.add_router("/core", core_router)
    api.add_router("/accounts", accounts_router)
    api.add_router("/registry", registry_router)
    api.add_router("/rules", rules_router)
    api.add_router("/evidence", evidence_router)
    api.add_router("/documents", documents_router)
    api.add_router("/cases", cases_router)
    api.add_router("/disclosure", disclosure_router)
    api.add_router("/credit", credit_router)
    api.add_router("/inspections", inspections_router)
    api.add_router("/overload", overload_router)
    api.add_router("/monitoring", monitoring_router)
    api.add_router("/complaints", complaints_router)
    api.add_router("/permits", permits_router)
    api.add_router("/people", people_router)
    api.add_router("/legal", legal_router)


_register_routers()
