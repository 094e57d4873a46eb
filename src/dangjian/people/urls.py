from django.urls import path

from .views import imports, persons, registers

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

# 党员减少登记, the honours register (表彰奖励) and 资料完整性: what the in-party statistics need. A person's
# honours are under the person (the honour in a query or POST field), so every object URL names a person in scope.
urlpatterns += [
    path("<int:pk>/departure/", registers.departure, name="departure"),
    path("honours/", registers.honour_list, name="honours"),
    path("honours/export/", registers.honour_export, name="honours_export"),
    path("<int:pk>/honours/new/", registers.honour_new, name="honour_new"),
    path("<int:pk>/honours/edit/", registers.honour_edit, name="honour_edit"),
    path("<int:pk>/honours/withdraw/", registers.honour_withdraw, name="honour_withdraw"),
    path("quality/", registers.quality_page, name="quality"),
    path("quality/export/", registers.quality_export, name="quality_export"),
]
