from django.urls import path

from zhifa.accounts import views, views_admin, views_officers

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/change/", views.password_change_view, name="password_change"),
    # 执法人员 (business roles)
    path("officers/", views_officers.officer_list, name="officer_list"),
    path("officers/new/", views_officers.officer_create, name="officer_create"),
    path("officers/<int:pk>/", views_officers.officer_detail, name="officer_detail"),
    path("officers/<int:pk>/certificates/", views_officers.certificate_add, name="officer_certificate_add"),
    path(
        "officers/<int:pk>/certificates/<int:cert_id>/review/",
        views_officers.certificate_review,
        name="officer_certificate_review",
    ),
    path("officers/<int:pk>/leave/", views_officers.officer_leave, name="officer_leave"),
    # 系统管理员
    path("admin/users/", views_admin.user_list, name="admin_users"),
    path("admin/users/new/", views_admin.user_create, name="admin_user_create"),
    path("admin/users/<int:pk>/", views_admin.user_detail, name="admin_user_detail"),
    path("admin/users/<int:pk>/active/", views_admin.user_set_active, name="admin_user_active"),
    path("admin/users/<int:pk>/unlock/", views_admin.user_unlock, name="admin_user_unlock"),
    path("admin/users/<int:pk>/password/", views_admin.user_reset_password, name="admin_user_password"),
    path("admin/users/<int:pk>/roles/", views_admin.user_set_roles, name="admin_user_roles"),
    path("admin/orgs/", views_admin.org_tree, name="admin_orgs"),
    path("admin/orgs/<int:pk>/edit/", views_admin.org_edit, name="admin_org_edit"),
    # 安全管理员
    path("security/policy/", views_admin.security_policy, name="security_policy"),
    # every signed-in user
    path("account/totp/", views_admin.totp_bind, name="account_totp"),
]
