from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("systems/", views.system_list, name="systems"),
    path("systems/import/", views.import_page, name="import"),
    path("systems/template/", views.template, name="template"),
    path("systems/<int:pk>/", views.detail, name="detail"),
    path("systems/<int:pk>/export/", views.export, name="export"),
    path("systems/<int:pk>/publish/", views.publish, name="publish"),
    path("systems/<int:pk>/new-version/", views.new_version, name="new_version"),
    path("systems/<int:pk>/retire/", views.retire, name="retire"),
]
urlpatterns += [
    path("cycles/", views.cycle_list, name="cycles"),
    path("cycles/open/", views.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/export/", views.cycle_export, name="cycle_export"),
    path("cycles/<int:pk>/recompute/", views.cycle_recompute, name="cycle_recompute"),
    path("cycles/<int:pk>/units/<int:unit>/", views.cycle_unit, name="cycle_unit"),
    path("cycles/<int:pk>/units/<int:unit>/occurrences/", views.occurrence_add, name="occurrence_add"),
    path("occurrences/<int:pk>/withdraw/", views.occurrence_withdraw, name="occurrence_withdraw"),
]
