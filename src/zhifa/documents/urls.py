from django.urls import path

from zhifa.documents import views

urlpatterns = [
    path("documents/", views.document_list, name="documents_list"),
    path("documents/<int:pk>/download/", views.document_download, name="documents_download"),
    path("documents/templates/", views.template_list, name="documents_templates"),
    path(
        "documents/templates/<str:name>/download/",
        views.template_download,
        name="documents_template_download",
    ),
    path(
        "documents/templates/<str:name>/preview/", views.template_preview, name="documents_template_preview"
    ),
]
