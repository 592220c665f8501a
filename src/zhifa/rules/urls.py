from django.urls import path

from zhifa.rules import views

urlpatterns = [
    path("rules/", views.violation_list, name="rules_violations"),
    path("rules/violations/<str:code>/", views.violation_detail, name="rules_violation"),
    path(
        "rules/violations/<str:code>/new-version/",
        views.violation_new_version,
        name="rules_violation_new_version",
    ),
    path("rules/bases/", views.basis_list, name="rules_bases"),
    path("rules/params/", views.param_list, name="rules_params"),
]
