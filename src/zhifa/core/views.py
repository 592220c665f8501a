"""The error pages a person sees (Chinese, with a way home) and the favicon.

With ``DEBUG`` off (``zhifa demo``, ``zhifa serve`` in production) Django renders these for a refused,
missing or failed request; the API keeps its one JSON error envelope.
"""

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render

from zhifa.core.templatetags.assets import asset

ERRORS = {
    403: ("无权访问", "您的账户无权访问此页面。如需办理，请联系本单位系统管理员开通相应权限。"),
    404: ("页面不存在", "页面不存在，或您无权查看该记录。请检查地址，或从导航重新进入。"),
    500: ("系统内部错误", "系统内部错误，已记录，请稍后再试。如多次出现，请联系系统管理员。"),
}


def _page(request, code: int):
    title, message = ERRORS[code]
    return render(request, "core/error.html", {"code": code, "title": title, "message": message}, status=code)


def error_403(request, exception=None):
    return _page(request, 403)


def error_404(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "common.not_found", "message": "接口不存在", "fields": {}}, status=404)
    return _page(request, 404)


def error_500(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "common.server_error", "message": "系统内部错误，已记录，请稍后再试", "fields": {}},
                            status=500)
    try:
        return _page(request, 500)
    except Exception:  # the template machinery itself failed: a plain Chinese page, never Django's
        from django.http import HttpResponseServerError

        return HttpResponseServerError(
            "<!doctype html><meta charset=utf-8><title>系统内部错误</title>"
            "<h1>系统内部错误</h1><p>已记录，请稍后再试。</p><p><a href=\"/\">返回首页</a></p>"
        )


def favicon(request):
    return HttpResponsePermanentRedirect(asset("zhifa/favicon.svg"))
