from django.http import JsonResponse
from django.shortcuts import render


def error_403(request, exception=None):
    return render(request, "core/error.html", {"code": 403, "message": "无权访问此页面"}, status=403)


def error_404(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "common.not_found", "message": "接口不存在", "fields": {}}, status=404)
    return render(request, "core/error.html", {"code": 404, "message": "页面不存在，或您无权查看该记录"}, status=404)


def error_500(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "common.server_error", "message": "系统内部错误，已记录，请稍后再试", "fields": {}},
                            status=500)
    return render(request, "core/error.html", {"code": 500, "message": "系统内部错误，已记录，请稍后再试"}, status=500)
