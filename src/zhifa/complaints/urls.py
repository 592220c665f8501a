from django.urls import path

from . import views, views_indicators, views_public

urlpatterns = [
    path("complaints/", views.order_list, name="complaints_list"),
    path("complaints/platform-export/", views.platform_export, name="complaints_platform_export"),
    path("complaints/new/", views.order_new, name="complaints_new"),
    path("complaints/indicators/", views_indicators.indicators, name="complaints_indicators"),
    path("complaints/indicators/drill/", views_indicators.drill, name="complaints_indicator_drill"),
    path("complaints/<int:pk>/", views.order_detail, name="complaints_detail"),
    path("complaints/<int:pk>/act/", views.order_act, name="complaints_act"),
    path("complaints/<int:pk>/attach/", views.order_attach, name="complaints_attach"),
    path("complaints/<int:pk>/files/<int:item_pk>", views.order_file, name="complaints_file"),
    path("complaints/<int:pk>/to-case/", views.order_to_case, name="complaints_to_case"),
    path("complaints/<int:pk>/reply.docx", views.reply_docx, name="complaints_reply_docx"),
    path("public/complaints/", views_public.public_form, name="complaints_public_form"),
    path("public/complaints/captcha.svg", views_public.captcha_image, name="complaints_public_captcha"),
    path("public/complaints/status/", views_public.public_status, name="complaints_public_status"),
]
