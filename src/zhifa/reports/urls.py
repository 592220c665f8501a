from django.urls import path

from . import views_reports as v

urlpatterns = [
    path("reports/dashboard/", v.dashboard, name="reports_dashboard"),
    path("reports/dashboard.json", v.dashboard_json, name="reports_dashboard_json"),
    path("reports/dashboard/positions.json", v.dashboard_positions, name="reports_dashboard_positions"),
    path("reports/indicators/", v.catalogue, name="reports_indicators"),
    path("reports/indicators/<str:ident>/", v.drill, name="reports_drill"),
    path("reports/annual/", v.annual_list, name="reports_annual_list"),
    path("reports/annual/<int:pk>/", v.annual, name="reports_annual"),
    path("reports/annual/<int:pk>/edit/", v.annual_edit, name="reports_annual_edit"),
    path("reports/annual/<int:pk>/issue/", v.annual_issue, name="reports_annual_issue"),
    path("reports/annual/<int:pk>/mark/", v.annual_mark, name="reports_annual_mark"),
    path("reports/annual/<int:pk>/file.<str:fmt>", v.annual_file, name="reports_annual_file"),
    path("reports/bulletins/", v.bulletin_list, name="reports_bulletins"),
    path("reports/bulletins/<int:pk>/", v.bulletin, name="reports_bulletin"),
    path("reports/bulletins/<int:pk>/file.docx", v.bulletin_docx, name="reports_bulletin_docx"),
    path("reports/bulletins/<int:pk>/<str:to>/", v.bulletin_move, name="reports_bulletin_move"),
]
