from django.urls import path

from .views import aggregates, imports, queue, records, runs

app_name = "health"
urlpatterns = [
    path("", records.index, name="index"),
    path("people/<int:pk>/", records.person_record, name="person"),
    path("people/<int:pk>/export/", records.person_export, name="person_export"),
    path("people/<int:pk>/consent/", records.consent, name="consent"),
    path("consent/bulk/", records.consent_bulk, name="consent_bulk"),
    path("import/", imports.import_page, name="import"),
    path("import/template/", imports.import_template, name="import_template"),
    path("import/<uuid:pk>/", imports.import_job, name="import_job"),
    path("import/<uuid:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("mappings/new/", imports.mapping_edit, name="mapping_new"),
    path("mappings/<int:pk>/", imports.mapping_edit, name="mapping_edit"),
    path("queue/", queue.queue_page, name="queue"),
    path("queue/export/", queue.queue_export, name="queue_export"),
    path("queue/assign/", queue.queue_assign, name="queue_assign"),
    path("follow-up/<int:person_id>/<int:year>/", queue.follow_up, name="follow_up"),
    path("follow-up/<int:person_id>/<int:year>/assign/", queue.follow_up_assign, name="follow_up_assign"),
    path("follow-up/<int:person_id>/<int:year>/close/", queue.follow_up_close, name="follow_up_close"),
    path("follow-up/<int:person_id>/<int:year>/reopen/", queue.follow_up_reopen, name="follow_up_reopen"),
    path("runs/", runs.run_list, name="runs"),
    path("runs/<int:pk>/", runs.run_detail, name="run"),
    path("aggregates/", aggregates.aggregate_page, name="aggregates"),
]
