from django.urls import path

from . import views, views_public

urlpatterns = [
    path("people/", views.home, name="people_home"),
    path("people/training/", views.training, name="people_training"),
    path("people/training/hours/", views.hours, name="people_hours"),
    path("people/training/<int:pk>/", views.course, name="people_course"),
    path("people/exams/", views.exam_list, name="people_exams"),
    path("people/exams/questions/", views.question_bank, name="people_questions"),
    path("people/exams/<int:pk>/", views.exam_detail, name="people_exam"),
    path("people/exams/<int:pk>/take/", views.exam_take, name="people_exam_take"),
    path("people/exams/sitting/<int:pk>/", views.sitting_result, name="people_sitting"),
    path("people/joint/", views.joint_list, name="people_joint"),
    path("people/joint/new/", views.joint_new, name="people_joint_new"),
    path("people/equipment/", views.equipment, name="people_equipment"),
    path("people/equipment/<int:pk>/", views.item_detail, name="people_item"),
    path("people/emergency/", views.emergency, name="people_emergency"),
    path("people/risks/", views.risks, name="people_risks"),
    path("people/risks/<int:pk>/", views.risk_detail, name="people_risk"),
    path("people/pufa/", views.pufa, name="people_pufa"),
    path("people/files/<str:kind>/<int:pk>/", views.file_upload, name="people_file_upload"),
    path("people/files/<str:kind>/<int:pk>/<int:item_pk>/", views.file_download, name="people_file"),
    path("people/indicators/", views.indicators, name="people_indicators"),
    path("public/pufa/cases/", views_public.public_stories, name="people_public_stories"),
    path("public/pufa/cases/<int:pk>/", views_public.public_story, name="people_public_story"),
]
