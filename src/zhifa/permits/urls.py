from django.urls import path

from . import views, views_public

urlpatterns = [
    path("permits/", views.application_list, name="permits_list"),
    path("permits/new/", views.application_new, name="permits_new"),
    path("permits/items/", views.item_list, name="permits_items"),
    path("permits/items/<str:code>/", views.item_edit, name="permits_item_edit"),
    path("permits/postchecks/", views.postcheck_list, name="permits_postchecks"),
    path("permits/ratings/", views.rating_list, name="permits_ratings"),
    path("permits/ratings/<int:pk>/", views.rating_act, name="permits_rating_act"),
    path("permits/indicators/", views.indicators, name="permits_indicators"),
    path("permits/<int:pk>/", views.application_detail, name="permits_detail"),
    path("permits/<int:pk>/act/", views.application_act, name="permits_act"),
    path("permits/<int:pk>/certificate.pdf", views.certificate_pdf, name="permits_certificate"),
    path("public/permits/", views_public.guide_list, name="permits_public_guides"),
    path("public/permits/items/<str:code>/", views_public.guide, name="permits_public_guide"),
    path("public/permits/apply/<str:code>/", views_public.apply, name="permits_public_apply"),
    path("public/permits/status/", views_public.status, name="permits_public_status"),
    path("public/permits/verify/", views_public.verify_upload, name="permits_public_verify_upload"),
    path("public/permits/verify/<str:cert_id>/", views_public.verify, name="permits_public_verify"),
]
