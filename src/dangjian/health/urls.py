from django.urls import path

from . import import_views, views

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
]
