from django.urls import path

from . import views
from .jt809 import views as jt809_views

urlpatterns = [
    path("monitoring/", views.index, name="monitoring_index"),
    path("monitoring/runs/<str:month>/", views.run_page, name="monitoring_run"),
    path("monitoring/runs/<str:month>/bulletin.docx", views.run_docx, name="monitoring_run_docx"),
    path("monitoring/leads/", views.lead_list, name="monitoring_leads"),
    path("monitoring/leads/<int:pk>/review", views.lead_review, name="monitoring_lead_review"),
    path("monitoring/vehicles/<int:pk>/", views.vehicle_track, name="monitoring_vehicle"),
    path("monitoring/zones/", views.zone_list, name="monitoring_zones"),
    path("monitoring/jt809/", jt809_views.platforms, name="monitoring_jt809"),
    path("monitoring/jt809/spotchecks/", jt809_views.spotchecks, name="monitoring_jt809_spotchecks"),
    path("monitoring/jt809/supervisions/", jt809_views.supervisions, name="monitoring_jt809_supervisions"),
]
