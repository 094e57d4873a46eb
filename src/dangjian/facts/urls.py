from django.urls import path

from . import views

app_name = "facts"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<int:org_id>/", views.org_values, name="org"),
]
