from django.urls import path

from . import views

urlpatterns = [
    path("credit/", views.index, name="credit_index"),
    path("credit/subjects/<str:ref>/", views.subject_file, name="credit_file"),
    path("credit/records/<int:pk>/repair/", views.repair_apply, name="credit_repair_apply"),
    path("credit/repairs/", views.repairs, name="credit_repairs"),
    path("credit/repairs/<int:pk>/decide/", views.repair_decide, name="credit_repair_decide"),
    path("credit/lists/", views.lists, name="credit_lists"),
    path("credit/lists/propose/", views.list_propose, name="credit_list_propose"),
    path("credit/lists/<int:pk>/<str:action>/", views.list_action, name="credit_list_action"),
    path("credit/ratings/", views.ratings, name="credit_ratings"),
    path("credit/ratings/<str:action>/", views.rating_action, name="credit_rating_action"),
]
