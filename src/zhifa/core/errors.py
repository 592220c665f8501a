"""One error type for the whole platform; the API turns it into ``{"code", "message", "fields"}``.

Each domain declares its codes as a StrEnum with Chinese messages next to them, e.g.::

    class AccountError(ErrorCode):
        ROLE_CONFLICT = "accounts.role_conflict", "三员角色互斥：{detail}"

and raises ``ErrorCode.ROLE_CONFLICT.error(detail=...)``.
"""

from __future__ import annotations

import enum
from typing import Any


class DomainError(Exception):
    """A refusal a person must read: stable ``code``, Chinese ``message``, per-field reasons."""

    def __init__(self, code: str, message: str, *, fields: dict[str, str] | None = None, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.status = status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class ErrorCode(enum.Enum):
    """Base for per-domain error code enums; members are ``(code, message_template[, status])``."""

    def __init__(self, code: str, template: str, status: int = 400):
        self.code = code
        self.template = template
        self.status = status

    def error(self, *, fields: dict[str, str] | None = None, **params: Any) -> DomainError:
        return DomainError(self.code, self.template.format(**params), fields=fields, status=self.status)


class CommonError(ErrorCode):
    NOT_FOUND = "common.not_found", "{what}不存在或无权查看", 404
    FORBIDDEN = "common.forbidden", "无权执行此操作：{detail}", 403
    UNAUTHENTICATED = "common.unauthenticated", "未登录或令牌无效", 401
    INVALID = "common.invalid", "输入有误：{detail}", 422
    CONFLICT = "common.conflict", "数据已被他人修改，请刷新后重试", 409


def invalid_request(fields: dict[str, str]) -> DomainError:
    """422 for request parameters that fail their checks (the API's schema validation, a NUL in a query
    string): ``fields`` maps each parameter to its Chinese reason, the message lists them all."""
    message = "请求参数有误：" + "；".join(f"{k}{v}" for k, v in fields.items())
    return DomainError(CommonError.INVALID.code, message, fields=fields, status=422)


def error_json_response(code: str, message: str, fields: dict | None, status: int):
    """The API's one error envelope ``{"code", "message", "fields"}`` as an HTTP response: the REST API's
    exception handlers (:mod:`zhifa.config.api`) and the middleware that refuses a request before any view
    (:class:`zhifa.core.middleware.NulParameterMiddleware`) both answer with it."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.http import HttpResponse

    body = json.dumps({"code": code, "message": message, "fields": fields or {}}, cls=DjangoJSONEncoder)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
