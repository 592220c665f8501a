from django.urls import path

from zhifa.ops import views

urlpatterns = [
    # 等保自评 (安全管理员); /healthz, /readyz and /metrics are answered by ops.middleware.OpsMiddleware
    path("security/dengbao/", views.dengbao_page, name="dengbao"),
]
