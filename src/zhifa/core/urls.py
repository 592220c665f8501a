from django.urls import path

from zhifa.reports import views as report_views

urlpatterns = [
    path("", report_views.home, name="home"),
]
