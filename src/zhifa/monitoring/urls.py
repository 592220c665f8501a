from django.urls import path

from . import views

urlpatterns = [
    path("monitoring/", views.index, name="monitoring_index"),
    path("monitoring/runs/<str:month>/", views.run_page, name="monitoring_run"),
    path("monitoring/runs/<str:month>/bulletin.docx", views.run_docx, name="monitoring_run_docx"),
    path("monitoring/leads/", views.lead_list, name="monitoring_leads"),
    path("monitoring/leads/<int:pk>/review", views.lead_review, name="monitoring_lead_review"),
    path("monitoring/vehicles/<int:pk>/", views.vehicle_track, name="monitoring_vehicle"),
    path("monitoring/zones/", views.zone_list, name="monitoring_zones"),
]
