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
