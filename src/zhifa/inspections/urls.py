from django.urls import path

from zhifa.inspections import views

urlpatterns = [
    path("inspections/", views.index, name="inspections_index"),
    path("inspections/items/", views.item_list, name="inspections_items"),
    path("inspections/items/new/", views.item_new, name="inspections_item_new"),
    path("inspections/targets/", views.target_list, name="inspections_targets"),
    path("inspections/inspectors/", views.inspector_list, name="inspections_inspectors"),
    path("inspections/conflicts/new/", views.conflict_new, name="inspections_conflict_new"),
    path("inspections/lists/publish/", views.lists_publish, name="inspections_lists_publish"),
    path("inspections/plans/new/", views.plan_new, name="inspections_plan_new"),
    path("inspections/plans/<int:pk>/", views.plan_detail, name="inspections_plan"),
    path("inspections/plans/<int:pk>/stats/", views.plan_stats, name="inspections_plan_stats"),
    path("inspections/tasks/<int:pk>/", views.task_detail, name="inspections_task"),
    path("inspections/tasks/<int:pk>/draw.json", views.task_draw_file, name="inspections_task_file"),
    path("inspections/tasks/<int:pk>/<str:action>/", views.task_action, name="inspections_task_action"),
    # the witness's phone page: no login, the one-time code is the credential (a form: full middleware)
    path("inspections/witness/", views.witness_entry, name="inspections_witness_entry"),
    path("inspections/witness/<str:code>/", views.witness_page, name="inspections_witness"),
    path("inspections/mine/", views.my_assignments, name="inspections_mine"),
    path("inspections/assignments/<int:pk>/record/", views.record_form, name="inspections_record_form"),
    path("inspections/records/<int:pk>/", views.record_detail, name="inspections_record"),
    path("inspections/records/<int:pk>/<str:action>/", views.record_action, name="inspections_record_action"),
    # public portal: no login, masked (事前公示 lists, commitments, seeds, results)
    path("public/inspections/", views.public_index, name="public_inspections"),
    path(
        "public/inspections/lists/<int:org_id>/<str:kind>/", views.public_list, name="public_inspections_list"
    ),
    path("public/inspections/method/", views.public_method, name="public_inspections_method"),
    path("public/inspections/ALGORITHM.md", views.public_algorithm, name="public_inspections_algorithm"),
    path(
        "public/inspections/testvectors/<str:name>", views.public_testvector, name="public_inspections_testvector"
    ),
    path("public/inspections/tasks/<int:pk>/", views.public_task, name="public_inspections_task"),
    path(
        "public/inspections/tasks/<int:pk>/draw.json", views.public_draw_file, name="public_inspections_file"
    ),
    path("public/inspections/results/", views.public_results, name="public_inspections_results"),
    path("public/inspections/results.json", views.public_result_json, name="public_inspections_results_json"),
]
