from django.urls import path

from zhifa.cases import pickers, views, views_sources

urlpatterns = [
    path("cases/", views.case_list, name="cases_list"),
    path("cases/new/", views.case_new, name="cases_new"),
    path("cases/pick/violations/", views.violation_pick, name="cases_pick_violations"),
    path("cases/pick/parties/", views.party_pick, name="cases_pick_parties"),
    path("cases/pick/officers/", pickers.officer_pick, name="cases_pick_officers"),
    path("cases/pick/persons/", pickers.person_pick, name="cases_pick_persons"),
    path("cases/pick/vehicles/", pickers.vehicle_pick, name="cases_pick_vehicles"),
    path("cases/pick/enterprises/", pickers.enterprise_pick, name="cases_pick_enterprises"),
    path("cases/pick/subjects/", pickers.subject_pick, name="cases_pick_subjects"),
    path("cases/deadlines/", views.deadlines, name="cases_deadlines"),
    path("cases/sources/", views_sources.source_list, name="cases_sources"),
    path("cases/sources/new/", views_sources.source_new, name="cases_source_new"),
    path("cases/sources/<int:pk>/", views_sources.source_detail, name="cases_source_detail"),
    path("cases/sources/<int:pk>/decide/", views_sources.source_decide, name="cases_source_decide"),
    path("cases/<int:pk>/", views.case_detail, name="cases_detail"),
    path("cases/<int:pk>/step/<str:action>/", views.case_step_form, name="cases_step"),
    path("cases/<int:pk>/act/<str:action>/", views.case_act, name="cases_act"),
    path("cases/<int:pk>/check/", views.case_check, name="cases_check"),
    path("cases/<int:pk>/file/", views.case_file, name="cases_file"),
]
