from django.urls import path

from zhifa.registry import views

urlpatterns = [
    path("registry/", views.index, name="registry_index"),
    path("registry/vehicles/", views.vehicle_list, name="registry_vehicles"),
    path("registry/vehicles/<int:pk>/", views.vehicle_detail, name="registry_vehicle"),
    path("registry/enterprises/", views.enterprise_list, name="registry_enterprises"),
    path("registry/enterprises/<int:pk>/", views.enterprise_detail, name="registry_enterprise"),
    path("registry/persons/", views.person_list, name="registry_persons"),
    path("registry/persons/<int:pk>/", views.person_detail, name="registry_person"),
    path(
        "registry/persons/<int:pk>/reveal-idcard/", views.person_reveal_idcard, name="registry_person_reveal"
    ),
    path("registry/licences/", views.licence_list, name="registry_licences"),
    path("registry/licences/<int:pk>/", views.licence_detail, name="registry_licence"),
    path("registry/licences/<int:pk>/decisions/new/", views.permit_decision_new, name="registry_permit_decision"),
    path("registry/<str:kind>/<int:pk>/permits/new/", views.permit_grant, name="registry_permit_grant"),
    # create / edit, one form per kind (vehicles, enterprises, persons, licences)
    path("registry/<str:kind>/new/", views.subject_form, name="registry_new"),
    path("registry/<str:kind>/<int:pk>/edit/", views.subject_form, name="registry_edit"),
]
