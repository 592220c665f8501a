from django.urls import path

from . import views, views_public

urlpatterns = [
    path("legal/", views.doc_list, name="legal_docs"),
    path("legal/documents/new/", views.doc_new, name="legal_doc_new"),
    path("legal/documents/<int:pk>/", views.doc_detail, name="legal_doc"),
    path("legal/documents/<int:pk>/act/", views.doc_act, name="legal_doc_act"),
    path("legal/cleanups/", views.cleanup_list, name="legal_cleanups"),
    path("legal/cleanups/<int:pk>/", views.cleanup_detail, name="legal_cleanup"),
    path("legal/decisions/", views.decision_list, name="legal_decisions"),
    path("legal/decisions/<int:pk>/", views.decision_detail, name="legal_decision"),
    path("legal/reviews/", views.review_list, name="legal_reviews"),
    path("legal/reviews/<int:pk>/", views.review_detail, name="legal_review"),
    path("legal/reviews/<int:pk>/files/<int:fid>/", views.review_file, name="legal_review_file"),
    path("legal/reviews/<int:pk>/report.docx", views.review_report, name="legal_review_report"),
    path("legal/appeals/", views.appeals, name="legal_appeals"),
    path("legal/appeals/<int:pk>/", views.appeal_detail, name="legal_appeal"),
    path("legal/counsel/", views.counsel, name="legal_counsel"),
    path("legal/powers/", views.powers, name="legal_powers"),
    path("legal/indicators/", views.indicators, name="legal_indicators"),
    path("public/legal/documents/", views_public.public_documents, name="legal_public_documents"),
    path("public/legal/powers/", views_public.public_powers, name="legal_public_powers"),
]
