from django.urls import path

from . import views

urlpatterns = [
    path("public/", views.public_home, name="public_home"),
    path("public/records/", views.public_records, name="public_records"),
    path("public/records/<int:pk>/", views.public_record, name="public_record"),
    path("public/records/export.<str:fmt>", views.public_export, name="public_export"),
    path("public/bureaus/<int:org_id>/", views.public_bureau, name="public_bureau"),
    path("public/credit/", views.public_credit, name="public_credit"),
    path("disclosure/", views.board, name="disclosure_board"),
    path("disclosure/records/", views.record_list, name="disclosure_records"),
    path("disclosure/exports/", views.export_batches, name="disclosure_exports"),
    path("disclosure/enforcement/", views.enforcement_items, name="disclosure_enforcement"),
    path("disclosure/records/<int:pk>/", views.record_detail, name="disclosure_record"),
    path("disclosure/records/<int:pk>/publish/", views.record_publish, name="disclosure_publish"),
    path("disclosure/records/<int:pk>/complete/", views.record_complete, name="disclosure_complete"),
]
