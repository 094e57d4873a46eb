from django.urls import path

from . import import_views, views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("export/", views.person_export, name="export"),
    path("new/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/delete/", views.person_delete, name="delete"),
    path("<int:pk>/move/", views.membership_move, name="move"),
    path("<int:pk>/discipline/", views.membership_discipline, name="discipline"),
    path("import/", import_views.roster_import, name="import"),
    path("import/template/", import_views.roster_template, name="import_template"),
    path("import/jobs/<uuid:pk>/", import_views.import_job, name="import_job"),
    path("import/jobs/<uuid:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
]
