from django.urls import path

from . import aggregate_views, import_views, queue_views, run_views, views

app_name = "health"
urlpatterns = [
    path("", views.index, name="index"),
    path("people/<int:pk>/", views.person_record, name="person"),
    path("people/<int:pk>/export/", views.person_export, name="person_export"),
    path("people/<int:pk>/consent/", views.consent, name="consent"),
    path("consent/bulk/", views.consent_bulk, name="consent_bulk"),
    path("import/", import_views.import_page, name="import"),
    path("import/template/", import_views.import_template, name="import_template"),
    path("import/<uuid:pk>/", import_views.import_job, name="import_job"),
    path("import/<uuid:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("mappings/new/", import_views.mapping_edit, name="mapping_new"),
    path("mappings/<int:pk>/", import_views.mapping_edit, name="mapping_edit"),
    path("queue/", queue_views.queue_page, name="queue"),
    path("queue/export/", queue_views.queue_export, name="queue_export"),
    path("queue/assign/", queue_views.queue_assign, name="queue_assign"),
    path("follow-up/<int:person_id>/<int:year>/", queue_views.follow_up, name="follow_up"),
    path("follow-up/<int:person_id>/<int:year>/assign/", queue_views.follow_up_assign, name="follow_up_assign"),
    path("follow-up/<int:person_id>/<int:year>/close/", queue_views.follow_up_close, name="follow_up_close"),
    path("follow-up/<int:person_id>/<int:year>/reopen/", queue_views.follow_up_reopen, name="follow_up_reopen"),
    path("runs/", run_views.run_list, name="runs"),
    path("runs/<int:pk>/", run_views.run_detail, name="run"),
    path("aggregates/", aggregate_views.aggregate_page, name="aggregates"),
]
