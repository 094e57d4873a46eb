from django.urls import path

from . import views

app_name = "rules"
urlpatterns = [
    path("", views.catalogue_page, name="catalogue"),
    path("<str:key>/edit/", views.edit, name="edit"),
]
