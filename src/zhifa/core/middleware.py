from __future__ import annotations

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.utils.module_loading import import_string

from zhifa.core.context import RequestContext, bound, new_request_id
from zhifa.core.errors import error_json_response, invalid_request


def client_ip(request) -> str:
    """The client's address for the audit log and sign-in throttling. X-Forwarded-For is believed only when
    the request comes from a reverse proxy listed in ``ZHIFA_TRUSTED_PROXIES``; from anyone else it is a
    header the client wrote, and believing it would let a stranger pick the address their failed sign-ins
    are counted against (issue 16 item 6). The proxy's own entry — the last one — is the address it saw."""
    remote = request.META.get("REMOTE_ADDR", "")
    fwd = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if fwd and remote in settings.TRUSTED_PROXIES:
        return fwd.split(",")[-1].strip()[:64]
    return remote[:64]


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.META.get("HTTP_X_REQUEST_ID", "")[:64] or new_request_id()
        channel = "api" if request.path.startswith("/api/") else "web"
        ctx = RequestContext(rid, client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:300], channel)
        request.request_id = rid
        with bound(ctx):
            response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


class NulParameterMiddleware:
    """Query parameters with a NUL character are refused (422, in the API's error envelope or on the error
    page) before any view runs: PostgreSQL cannot hold NUL in text, so a search for "\\x00" would
    otherwise end in a database error (500) on PostgreSQL while SQLite answered it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = [k for k, values in request.GET.lists() if "\x00" in k or any("\x00" in v for v in values)]
        if not bad:
            bad = _nul_in_json_body(request)
        if not bad:
            return self.get_response(request)
        exc = invalid_request({k.replace("\x00", "") or "参数": "不能含有空字符（NUL）" for k in bad})
        if request.path_info.startswith("/api/"):  # the API's one error envelope, as its handlers write it
            return error_json_response(exc.code, exc.message, exc.fields, exc.status)
        from django.shortcuts import render

        return render(
            request, "core/error.html", {"code": exc.status, "message": exc.message}, status=exc.status
        )


def _nul_in_json_body(request) -> list[str]:
    """The fields of a JSON request body to the API holding a NUL (JSON spells it ``\\u0000``; PostgreSQL
    cannot store it). Only a body that contains that escape is parsed, so other bodies cost one byte search;
    raw uploads (evidence, not JSON) are never read here."""
    if (request.method not in ("POST", "PUT", "PATCH") or not request.path_info.startswith("/api/")
            or request.content_type != "application/json"):
        return []
    body = request.body  # kept by Django for the view
    if b"\\u0000" not in body:
        return []
    import json

    try:
        data = json.loads(body)
    except ValueError:
        return []  # not JSON: the API answers that itself
    found: list[str] = []

    def walk(value, path: str) -> None:
        if isinstance(value, str):
            if "\x00" in value:
                found.append(path or "请求体")
        elif isinstance(value, dict):
            for k, v in value.items():
                key = str(k)
                if "\x00" in key:
                    found.append(path or "请求体")
                walk(v, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]" if path else f"[{i}]")

    walk(data, "")
    return found


class AnonymousMiddleware:
    """In the open API's chain: every request is anonymous, whatever cookies it carries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        return self.get_response(request)


class _ChainHandler(BaseHandler):
    """A request handler whose middleware chain is the given list instead of ``settings.MIDDLEWARE``
    (synchronous, as the platform is served)."""

    def __init__(self, middleware: list[str]):
        super().__init__()
        self._middleware = middleware
        self.load_middleware()

    def load_middleware(self, is_async=False):
        self._view_middleware, self._template_response_middleware, self._exception_middleware = [], [], []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(self._middleware):
            mw = import_string(path)(handler)
            if hasattr(mw, "process_view"):
                self._view_middleware.insert(0, mw.process_view)
            if hasattr(mw, "process_template_response"):
                self._template_response_middleware.append(mw.process_template_response)
            if hasattr(mw, "process_exception"):
                self._exception_middleware.append(mw.process_exception)
            handler = convert_exception_to_response(mw)
        self._middleware_chain = handler


class PublicMiddleware:
    """First in ``MIDDLEWARE``: anonymous reads of the public portal and its open API
    (``settings.PUBLIC_PREFIXES``, GET and HEAD) go through a chain of their own,
    ``settings.PUBLIC_MIDDLEWARE`` — security headers, the request context, Content-Length and an
    always-anonymous user, but no session, authentication, CSRF, messages or session-policy middleware.
    Nothing on that path can read a session or a signed-in user, and the portal's hottest requests skip
    seven middlewares they have no use for (benchmarks/portal_search.py). Public pages whose forms post
    (``settings.PUBLIC_FORM_PREFIXES``: they need the CSRF cookie), every other method and everything
    else go on down the full chain."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.PUBLIC_PREFIXES)
        self.forms = tuple(settings.PUBLIC_FORM_PREFIXES)
        self.public = _ChainHandler(settings.PUBLIC_MIDDLEWARE)

    def __call__(self, request):
        path = request.path_info
        if request.method in ("GET", "HEAD") and path.startswith(self.prefixes) and not path.startswith(self.forms):
            return self.public.get_response(request)
        return self.get_response(request)
