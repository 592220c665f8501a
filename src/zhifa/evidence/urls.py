from django.urls import path

from zhifa.evidence import views

urlpatterns = [
    path("evidence/", views.evidence_list, name="evidence_list"),
    path("evidence/t/<str:target_type>/<str:target_id>/", views.target_page, name="evidence_target"),
    path("evidence/<int:pk>/", views.item_page, name="evidence_item"),
    path("evidence/<int:pk>/download", views.download, name="evidence_download"),
    path("evidence/<int:pk>/play", views.play, name="evidence_play"),
    path("evidence/<int:pk>/verify", views.verify, name="evidence_verify"),
    path("evidence/<int:pk>/void", views.void, name="evidence_void"),
]
