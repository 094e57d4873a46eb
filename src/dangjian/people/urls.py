from django.urls import path

from .views import imports, persons

app_name = "people"
urlpatterns = [
    path("", persons.person_list, name="list"),
    path("export/", persons.person_export, name="export"),
    path("new/", persons.person_create, name="create"),
    path("<int:pk>/", persons.person_detail, name="detail"),
    path("<int:pk>/edit/", persons.person_edit, name="edit"),
    path("<int:pk>/delete/", persons.person_delete, name="delete"),
    path("<int:pk>/move/", persons.membership_move, name="move"),
    path("<int:pk>/discipline/", persons.membership_discipline, name="discipline"),
    path("import/", imports.roster_import, name="import"),
    path("import/template/", imports.roster_template, name="import_template"),
    path("import/jobs/<uuid:pk>/", imports.import_job, name="import_job"),
    path("import/jobs/<uuid:pk>/confirm/", imports.import_confirm, name="import_confirm"),
]
