from __future__ import annotations

from zhifa.core.context import RequestContext, bound, new_request_id


def client_ip(request) -> str:
    # X-Forwarded-For is trusted only from the reverse proxy configured in front of the app.
    fwd = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (fwd.split(",")[0].strip() if fwd else request.META.get("REMOTE_ADDR", ""))[:64]


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
