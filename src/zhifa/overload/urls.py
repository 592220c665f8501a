from django.urls import path

from . import views

urlpatterns = [
    path("overload/", views.queue, name="overload_queue"),
    path("overload/leads/", views.lead_list, name="overload_leads"),
    path("overload/leads/<int:pk>/", views.lead_detail, name="overload_lead"),
    path("overload/leads/<int:pk>/review/", views.lead_review, name="overload_lead_review"),
    path("overload/leads/<int:pk>/close/", views.lead_close, name="overload_lead_close"),
    path("overload/stations/", views.station_list, name="overload_stations"),
    path("overload/stations/new/", views.station_form, name="overload_station_new"),
    path("overload/stations/<int:pk>/edit/", views.station_form, name="overload_station_edit"),
    path("overload/sanctions/", views.sanction_list, name="overload_sanctions"),
    path("overload/notices/", views.notice_list, name="overload_notices"),
    path("overload/notices/<int:pk>/sent/", views.notice_sent, name="overload_notice_sent"),
    path("overload/stats/", views.stats, name="overload_stats"),
    path("public/overload/", views.public_lookup, name="overload_public_lookup"),
]
