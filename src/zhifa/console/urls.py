from django.urls import path

from zhifa.console import views_audit, views_calendar, views_imports, views_jobs

urlpatterns = [
    # 审计日志 (审计管理员)
    path("audit/", views_audit.audit_list, name="audit"),
    path("audit/export.csv", views_audit.audit_export_csv, name="audit_export"),
    path("audit/verify/", views_audit.audit_verify_view, name="audit_verify"),
    path("audit/<int:seq>/", views_audit.audit_detail, name="audit_detail"),
    # 工作日历 (every signed-in user; import: 系统管理员)
    path("calendar/", views_calendar.calendar_page, name="calendar"),
    path("calendar/import/", views_calendar.calendar_import, name="calendar_import"),
    # 数据导入 (法制审核人员, 执法部门负责人)
    path("imports/", views_imports.import_index, name="imports"),
    path("imports/template/<str:kind>.csv", views_imports.import_template_csv, name="import_template"),
    path("imports/<int:pk>/", views_imports.import_job, name="import_job"),
    path("imports/<int:pk>/progress/", views_imports.import_job_progress, name="import_job_progress"),
    path("imports/<int:pk>/errors.csv", views_imports.import_job_errors_csv, name="import_job_errors"),
    # 后台任务 (a job's page: its submitter and the 系统管理员; history, retry: 系统管理员)
    path("jobs/", views_jobs.job_history, name="jobs"),
    path("jobs/<int:pk>/", views_jobs.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", views_jobs.job_progress, name="job_progress"),
    path("jobs/<int:pk>/file", views_jobs.job_file, name="job_file"),
    path("jobs/<int:pk>/retry/", views_jobs.job_retry, name="job_retry"),
    path("jobs/<int:pk>/cancel/", views_jobs.job_cancel, name="job_cancel"),
]
